package dev.clambake.resilience;

import java.util.Map;

import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroup;

import dev.clambake.resilience.ClambakeHttpClientsProperties.Client;

/**
 * Guards the {@code WebClient} of every HTTP service group ({@code @ImportHttpServices} with
 * {@code clientType = WEB_CLIENT}) as a named client of the group's name, like
 * {@link ResilientHttpServiceGroups} does for {@code RestClient} groups.
 */
public class ResilientReactiveHttpServiceGroups implements WebClientHttpServiceGroupConfigurer {

	private final Map<String, Client> clients;

	private final ClientGuards.Sources guards;

	ResilientReactiveHttpServiceGroups(Map<String, Client> clients, ClientGuards.Sources guards) {
		this.clients = clients;
		this.guards = guards;
	}

	@Override
	public void configureGroups(Groups<WebClient.Builder> groups) {
		groups.forEachClient((HttpServiceGroup group, WebClient.Builder builder) -> {
			String name = group.name();
			Client client = this.clients.getOrDefault(name, new Client());
			builder.defaultRequest((request) -> request.attribute(ClambakeHttpClients.CLIENT_ATTRIBUTE, name))
				.filter(new ResilientExchangeFilter(this.guards.forClient(name, client)));
		});
	}

	@Override
	public int getOrder() {
		return ResilientHttpServiceGroups.ORDER;
	}

}
