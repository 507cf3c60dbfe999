package dev.clambake.resilience;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;


import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.web.reactive.function.client.WebClient;

import dev.clambake.resilience.ClambakeHttpClientsProperties.Client;

/**
 * The named HTTP clients configured under {@code clambake.http.clients.<name>} as
 * {@link WebClient}s: each built from Spring Boot's {@link WebClient.Builder} (so every
 * {@code WebClientCustomizer} and the {@code http.client.requests} observation apply) with
 * the client's base URL and timeouts, its exchanges run through its Resilience4j instances
 * with the same rules as {@link ClambakeHttpClients}. Without Spring Boot's webclient module
 * each is built from {@link WebClient#builder()} with the {@code http.client.requests}
 * observation (and with it the trace headers) and the correlation id.
 * <pre>
 * Mono&lt;String&gt; body = clients.webClient("upstream").get().uri("/items").retrieve().bodyToMono(String.class);
 * </pre>
 */
public class ClambakeWebClients {

	private final Map<String, WebClient> clients;

	ClambakeWebClients(Map<String, Client> properties, Supplier<WebClient.Builder> builders,
			ClientHttpConnectorBuilder<?> connectorBuilder, HttpClientSettings settings, ClientGuards.Sources guards) {
		Map<String, WebClient> built = new LinkedHashMap<>();
		properties.forEach((name, client) -> {
			WebClient.Builder builder = builders.get()
				.clientConnector(connectorBuilder.build(ClambakeHttpClients.settings(client, settings)))
				.defaultRequest((request) -> request.attribute(ClambakeHttpClients.CLIENT_ATTRIBUTE, name))
				.filter(new ResilientExchangeFilter(guards.forClient(name, client)));
			if (client.getBaseUrl() != null) {
				builder.baseUrl(client.getBaseUrl());
			}
			built.put(name, builder.build());
		});
		this.clients = Collections.unmodifiableMap(built);
	}

	/**
	 * Return the named client.
	 * @param name the client's name, a key under {@code clambake.http.clients}
	 * @return the client
	 * @throws IllegalArgumentException if no client has that name
	 */
	public WebClient webClient(String name) {
		return ClambakeHttpClients.named(this.clients, name);
	}

	/**
	 * Return the names of the configured clients.
	 * @return the names, in configuration order
	 */
	public Set<String> names() {
		return this.clients.keySet();
	}

}
