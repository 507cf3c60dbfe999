package dev.clambake.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A test application running on a random loopback port, read over real HTTP.
 */
public final class RunningApplication implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private RunningApplication(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	/**
	 * Start an application on a random port of 127.0.0.1.
	 * @param source the application's configuration class
	 * @param type servlet or reactive
	 * @param properties more properties, {@code name=value}
	 * @return the running application
	 */
	public static RunningApplication start(Class<?> source, WebApplicationType type, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		return new RunningApplication(
				new SpringApplicationBuilder(source).web(type).properties(all.toArray(String[]::new)).run());
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	public int port() {
		return this.port;
	}

	/**
	 * Send a GET with a 10 second time-out.
	 * @param path the path, with its query
	 * @return the response
	 * @throws IOException if the exchange fails
	 * @throws InterruptedException if interrupted
	 */
	public HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return get(this.port, path);
	}

	/**
	 * Send a GET to another port of the application (its management port, say) with a 10
	 * second time-out.
	 * @param port the port on 127.0.0.1
	 * @param path the path, with its query
	 * @return the response
	 * @throws IOException if the exchange fails
	 * @throws InterruptedException if interrupted
	 */
	public HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@Override
	public void close() {
		this.context.close();
	}

}
