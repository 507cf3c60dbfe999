package dev.clambake.resilience;

import java.util.Map;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.Ordered;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroup;

import dev.clambake.resilience.ClambakeHttpClientsProperties.Client;

/**
 * Guards the {@code RestClient} of every HTTP service group ({@code @ImportHttpServices}) as
 * a named client of the group's name: its calls go through the same retry, circuit breaker,
 * time limiter and bulkhead, it records rate limits, and its {@code http.client.requests}
 * carry the group's name as the {@code client} tag. The group's base URL and timeouts stay
 * Spring Boot's ({@code spring.http.serviceclient.<group>.*}); the guards' settings are read
 * from {@code clambake.http.clients.<group>.*} when present.
 */
public class ResilientHttpServiceGroups implements RestClientHttpServiceGroupConfigurer, DisposableBean {

	/**
	 * The order of this configurer: after Spring Boot's and the application's own, so that the
	 * guards' interceptor comes last, as on named clients.
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private final Map<String, Client> clients;

	private final ClientGuards.Sources guards;

	private final AttemptExecutors executors = new AttemptExecutors();

	ResilientHttpServiceGroups(Map<String, Client> clients, ClientGuards.Sources guards) {
		this.clients = clients;
		this.guards = guards;
	}

	@Override
	public void configureGroups(Groups<RestClient.Builder> groups) {
		groups.forEachClient((HttpServiceGroup group, RestClient.Builder builder) -> {
			String name = group.name();
			builder.defaultRequest((request) -> request.attribute(ClambakeHttpClients.CLIENT_ATTRIBUTE, name))
				.requestInterceptor(ResilientHttpInterceptor.of(
						this.guards.forClient(name, this.clients.getOrDefault(name, new Client())), this.executors));
		});
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void destroy() {
		this.executors.shutdownNow();
	}

}
