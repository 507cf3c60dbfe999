package dev.clambake.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each fault of {@link FaultProxy} against an echo server on loopback, and recovery after it.
 */
class FaultProxyTests {

	private ServerSocket echo;

	private FaultProxy proxy;

	@BeforeEach
	void start() throws IOException {
		this.echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			while (!this.echo.isClosed()) {
				try {
					Socket socket = this.echo.accept();
					Thread pump = new Thread(() -> {
						try (socket) {
							socket.getInputStream().transferTo(socket.getOutputStream());
						}
						catch (IOException ex) {
							// Closed
						}
					});
					pump.setDaemon(true);
					pump.start();
				}
				catch (IOException ex) {
					// Closed
				}
			}
		});
		acceptor.setDaemon(true);
		acceptor.start();
		this.proxy = FaultProxy.start("127.0.0.1", this.echo.getLocalPort());
	}

	@AfterEach
	void stop() throws IOException {
		this.proxy.close();
		this.echo.close();
	}

	@Test
	void passesBytesBothWays() throws IOException {
		try (Socket socket = connect()) {
			assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
		}
	}

	@Test
	void refusedConnectionsComeBackAfterPass() throws IOException {
		this.proxy.refuse();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(this::connect);
		this.proxy.pass();
		try (Socket socket = connect()) {
			assertThat(roundTrip(socket, "again")).isEqualTo("again");
		}
	}

	@Test
	void blackHoleAcceptsAndNeverAnswers() throws IOException {
		this.proxy.blackHole();
		try (Socket socket = connect()) {
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> roundTrip(socket, "anyone?"));
		}
		assertThat(this.proxy.connections()).isOne();
	}

	@Test
	void freezeStopsAnOpenConnectionUntilPass() throws IOException {
		try (Socket socket = connect()) {
			assertThat(roundTrip(socket, "before")).isEqualTo("before");
			this.proxy.freeze();
			socket.getOutputStream().write("during".getBytes());
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> read(socket, 6));
			this.proxy.pass();
			assertThat(read(socket, 6)).isEqualTo("during");
		}
	}

	@Test
	void delayHoldsEveryChunk() throws IOException {
		this.proxy.delay(Duration.ofMillis(200));
		try (Socket socket = connect()) {
			socket.setSoTimeout(5000);
			long start = System.nanoTime();
			assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
			// One chunk each way
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
		}
	}

	@Test
	void cutClosesOpenConnectionsAndServesNewOnes() throws IOException {
		try (Socket socket = connect()) {
			assertThat(roundTrip(socket, "first")).isEqualTo("first");
			this.proxy.cut();
			socket.setSoTimeout(5000);
			assertThat(readOrEnd(socket)).isEqualTo(-1);
		}
		try (Socket socket = connect()) {
			assertThat(roundTrip(socket, "second")).isEqualTo("second");
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.proxy.port());
		socket.setSoTimeout(300);
		return socket;
	}

	private static String roundTrip(Socket socket, String text) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(text.getBytes());
		out.flush();
		return read(socket, text.length());
	}

	private static String read(Socket socket, int length) throws IOException {
		byte[] bytes = socket.getInputStream().readNBytes(length);
		return new String(bytes);
	}

	private static int readOrEnd(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		try {
			return in.read();
		}
		catch (IOException ex) {
			return -1;
		}
	}

}
