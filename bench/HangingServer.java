import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP server on loopback that accepts every connection and never answers. Prints its port,
 * then runs until killed. Run with: java bench/HangingServer.java
 */
public class HangingServer {

	public static void main(String[] args) throws Exception {
		List<Socket> held = new ArrayList<>();
		try (ServerSocket server = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress())) {
			System.out.println(server.getLocalPort());
			System.out.flush();
			while (true) {
				held.add(server.accept());
			}
		}
	}

}
