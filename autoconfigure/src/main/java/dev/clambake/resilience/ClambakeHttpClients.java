package dev.clambake.resilience;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.web.client.RestClient;

import dev.clambake.resilience.ClambakeHttpClientsProperties.Client;

/**
 * The named HTTP clients configured under {@code clambake.http.clients.<name>}: each a
 * {@link RestClient} built from Spring Boot's {@link RestClient.Builder} (so every
 * {@code RestClientCustomizer} and the {@code http.client.requests} observation apply) with
 * the client's base URL and timeouts, its calls run through its Resilience4j instances.
 * <pre>
 * String body = clients.restClient("upstream").get().uri("/items").retrieve().body(String.class);
 * </pre>
 */
public class ClambakeHttpClients implements DisposableBean {

	/**
	 * Request attribute holding the client's name; becomes the {@code client} tag of
	 * {@code http.client.requests}.
	 */
	public static final String CLIENT_ATTRIBUTE = ClambakeHttpClients.class.getName() + ".client";

	/**
	 * Connect timeout when neither the client nor {@code spring.http.clients.connect-timeout} sets one.
	 */
	static final Duration FALLBACK_CONNECT_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Read timeout when neither the client nor {@code spring.http.clients.read-timeout} sets one.
	 */
	static final Duration FALLBACK_READ_TIMEOUT = Duration.ofSeconds(10);

	private final Map<String, RestClient> clients;

	private final AttemptExecutors executors = new AttemptExecutors();

	ClambakeHttpClients(Map<String, Client> properties, Supplier<RestClient.Builder> builders,
			ClientHttpRequestFactoryBuilder<?> requestFactoryBuilder, HttpClientSettings settings,
			ClientGuards.Sources guards) {
		Map<String, RestClient> built = new LinkedHashMap<>();
		properties.forEach((name, client) -> {
			RestClient.Builder builder = builders.get()
				.requestFactory(requestFactoryBuilder.build(settings(client, settings)))
				.defaultRequest((request) -> request.attribute(CLIENT_ATTRIBUTE, name))
				.requestInterceptor(ResilientHttpInterceptor.of(guards.forClient(name, client), this.executors));
			if (client.getBaseUrl() != null) {
				builder.baseUrl(client.getBaseUrl());
			}
			built.put(name, builder.build());
		});
		this.clients = Collections.unmodifiableMap(built);
	}

	/**
	 * Return the shared settings with the client's timeouts: its own, else the shared ones,
	 * else {@link #FALLBACK_CONNECT_TIMEOUT} and {@link #FALLBACK_READ_TIMEOUT}.
	 */
	static HttpClientSettings settings(Client client, HttpClientSettings settings) {
		return settings.withTimeouts(
				timeout(client.getConnectTimeout(), settings.connectTimeout(), FALLBACK_CONNECT_TIMEOUT),
				timeout(client.getReadTimeout(), settings.readTimeout(), FALLBACK_READ_TIMEOUT));
	}

	private static Duration timeout(@Nullable Duration own, @Nullable Duration shared, Duration fallback) {
		return (own != null) ? own : (shared != null) ? shared : fallback;
	}

	/**
	 * Return the named client.
	 * @param name the client's name, a key under {@code clambake.http.clients}
	 * @return the client
	 * @throws IllegalArgumentException if no client has that name
	 */
	public RestClient restClient(String name) {
		return named(this.clients, name);
	}

	/**
	 * Return the names of the configured clients.
	 * @return the names, in configuration order
	 */
	public Set<String> names() {
		return this.clients.keySet();
	}

	/**
	 * Return the client of that name, or fail naming the clients there are.
	 */
	static <C> C named(Map<String, C> clients, String name) {
		C client = clients.get(name);
		if (client == null) {
			throw new IllegalArgumentException("No HTTP client named '" + name + "'; configure clambake.http.clients."
					+ name + ".base-url (configured: " + clients.keySet() + ")");
		}
		return client;
	}

	@Override
	public void destroy() {
		this.executors.shutdownNow();
	}

}
