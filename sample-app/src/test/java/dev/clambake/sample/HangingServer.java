package dev.clambake.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real TCP server on loopback that accepts every connection and never answers: the
 * upstream that hangs.
 */
final class HangingServer implements AutoCloseable {

	private final ServerSocket server;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private final Thread acceptor;

	HangingServer() throws IOException {
		this.server = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(this::acceptForever, "hanging-server");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	private void acceptForever() {
		while (!this.server.isClosed()) {
			try {
				this.accepted.add(this.server.accept());
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	int port() {
		return this.server.getLocalPort();
	}

	String url() {
		return "http://127.0.0.1:" + port() + "/";
	}

	/**
	 * Return how many connections the server has accepted.
	 */
	int acceptedConnections() {
		return this.accepted.size();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.accepted) {
			socket.close();
		}
	}

}
