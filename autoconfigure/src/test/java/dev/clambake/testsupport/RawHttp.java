package dev.clambake.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP over a plain socket, for requests no HTTP client would send: header values with control
 * characters or bytes outside US-ASCII.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Send a GET to 127.0.0.1 with one header whose value is sent byte for byte, and read the
	 * head of the response.
	 * @param port the server's port
	 * @param path the path
	 * @param header the header's name
	 * @param value the header's value, as raw bytes
	 * @param timeout how long to wait for the response
	 * @return the status line and headers of the response
	 * @throws IOException if the exchange fails
	 */
	public static String get(int port, String path, String header, byte[] value, Duration timeout)
			throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + header + ": ")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(value);
			out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			int end = response.indexOf("\r\n\r\n");
			return (end >= 0) ? response.substring(0, end) : response;
		}
	}

}
