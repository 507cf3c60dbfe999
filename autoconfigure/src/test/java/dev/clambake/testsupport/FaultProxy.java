package dev.clambake.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that tests put between an application and a dependency (a database,
 * an upstream) to provoke the faults a network gives: refused connections, a black hole that
 * accepts and never answers, a freeze of every open connection, a delay on every chunk, and a
 * cut of every open connection mid-exchange. {@link #pass()} clears the fault, so recovery can
 * be watched too. Plain threads, one pair per connection.
 */
public final class FaultProxy implements AutoCloseable {

	/**
	 * What the proxy does with traffic.
	 */
	public enum Mode {

		/**
		 * Bytes flow both ways.
		 */
		PASS,

		/**
		 * Nothing listens on the port: a connection attempt is refused.
		 */
		REFUSE,

		/**
		 * New connections are accepted and never forwarded or answered; open ones flow.
		 */
		BLACK_HOLE,

		/**
		 * No byte moves on any connection, open or new, until the mode changes.
		 */
		FREEZE,

		/**
		 * Every chunk waits the delay before it is forwarded.
		 */
		DELAY

	}

	private final InetSocketAddress target;

	private final int port;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final Object gate = new Object();

	private final AtomicInteger connections = new AtomicInteger();

	private volatile Mode mode = Mode.PASS;

	private volatile Duration delay = Duration.ZERO;

	private volatile ServerSocket server;

	private volatile boolean closed;

	private FaultProxy(InetSocketAddress target) throws IOException {
		this.target = target;
		this.server = listenBelowEphemeralPorts();
		this.port = this.server.getLocalPort();
		acceptIn(this.server);
	}

	// While the proxy refuses, a client retrying on loopback could be given the proxy's port as
	// its own ephemeral port and connect to itself, taking the port; below Linux's ephemeral
	// range (32768 and up) that cannot happen
	private static ServerSocket listenBelowEphemeralPorts() throws IOException {
		IOException last = null;
		for (int attempt = 0; attempt < 50; attempt++) {
			try {
				return listen(20000 + ThreadLocalRandom.current().nextInt(12000));
			}
			catch (IOException ex) {
				last = ex;
			}
		}
		throw last;
	}

	/**
	 * Start a proxy on a free loopback port in front of a target.
	 * @param host the target's host
	 * @param port the target's port
	 * @return the running proxy, passing traffic
	 * @throws IOException if no port can be bound
	 */
	public static FaultProxy start(String host, int port) throws IOException {
		return new FaultProxy(new InetSocketAddress(host, port));
	}

	/**
	 * Return the port the proxy listens on (it keeps it across {@link Mode#REFUSE}).
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return how many connections the proxy has accepted so far.
	 * @return the number of accepted connections
	 */
	public int connections() {
		return this.connections.get();
	}

	/**
	 * Let bytes flow again, listening again if connections were refused.
	 * @throws IOException if the port cannot be bound again
	 */
	public void pass() throws IOException {
		mode(Mode.PASS);
	}

	/**
	 * Refuse connections: the port stops listening; open connections are left alone.
	 * @throws IOException if the listening socket cannot be closed
	 */
	public void refuse() throws IOException {
		mode(Mode.REFUSE);
	}

	/**
	 * Accept new connections and never forward or answer them.
	 * @throws IOException if the port cannot be bound again
	 */
	public void blackHole() throws IOException {
		mode(Mode.BLACK_HOLE);
	}

	/**
	 * Stop every byte on every connection, open and new.
	 * @throws IOException if the port cannot be bound again
	 */
	public void freeze() throws IOException {
		mode(Mode.FREEZE);
	}

	/**
	 * Hold every chunk for a while before forwarding it.
	 * @param delay how long each chunk waits
	 * @throws IOException if the port cannot be bound again
	 */
	public void delay(Duration delay) throws IOException {
		this.delay = delay;
		mode(Mode.DELAY);
	}

	/**
	 * Close every open connection at once, both ways, mid-exchange; new connections are served.
	 */
	public void cut() {
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
		this.sockets.clear();
	}

	private void mode(Mode mode) throws IOException {
		synchronized (this.gate) {
			Mode previous = this.mode;
			this.mode = mode;
			if (mode == Mode.REFUSE && previous != Mode.REFUSE) {
				this.server.close();
			}
			else if (mode != Mode.REFUSE && previous == Mode.REFUSE) {
				this.server = listen(this.port);
				acceptIn(this.server);
			}
			this.gate.notifyAll();
		}
	}

	private static ServerSocket listen(int port) throws IOException {
		ServerSocket server = new ServerSocket();
		server.setReuseAddress(true);
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		return server;
	}

	private void acceptIn(ServerSocket server) {
		daemon("fault-proxy-accept-" + this.port, () -> {
			while (!server.isClosed()) {
				try {
					Socket client = server.accept();
					this.connections.incrementAndGet();
					this.sockets.add(client);
					if (this.mode == Mode.BLACK_HOLE) {
						continue;
					}
					connect(client);
				}
				catch (IOException ex) {
					// Closed for REFUSE or close()
				}
			}
		});
	}

	private void connect(Socket client) {
		daemon("fault-proxy-connect", () -> {
			Socket upstream = new Socket();
			try {
				awaitFlow();
				upstream.connect(this.target, 5000);
				this.sockets.add(upstream);
			}
			catch (IOException | InterruptedException ex) {
				closeQuietly(client);
				closeQuietly(upstream);
				return;
			}
			pump(client, upstream);
			pump(upstream, client);
		});
	}

	private void pump(Socket from, Socket to) {
		daemon("fault-proxy-pump", () -> {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					awaitFlow();
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// Cut, closed, or the other side went away
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		});
	}

	// Holds a chunk while the proxy is frozen, and for the delay when delaying
	private void awaitFlow() throws InterruptedException {
		synchronized (this.gate) {
			while (this.mode == Mode.FREEZE && !this.closed) {
				this.gate.wait();
			}
		}
		if (this.mode == Mode.DELAY) {
			Thread.sleep(this.delay.toMillis());
		}
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already closed
		}
	}

	@Override
	public void close() {
		this.closed = true;
		synchronized (this.gate) {
			this.gate.notifyAll();
		}
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Already closed
		}
		cut();
	}

}
