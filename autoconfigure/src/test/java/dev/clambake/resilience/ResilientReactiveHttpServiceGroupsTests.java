package dev.clambake.resilience;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

import dev.clambake.resilience.ScriptedServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code WebClient}s of Spring's HTTP service groups, guarded like named clients, against
 * a real HTTP server on loopback.
 */
class ResilientReactiveHttpServiceGroupsTests {

	private final ScriptedServer server = ScriptedServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private ApplicationContextRunner runner() {
		return ResilienceTestContexts
			.serviceGroupsRunner(this.server, ReactiveHttpServiceClientAutoConfiguration.class, InventoryServices.class)
			.withConfiguration(ResilienceTestContexts.REACTIVE);
	}

	private static String items(ApplicationContext context) {
		return context.getBean(Inventory.class).items().block(Duration.ofSeconds(30));
	}

	@Test
	void transientFailuresAreRetriedUntilSuccess() {
		this.server.then(Reply.status(503), Reply.status(502));
		runner().run((context) -> {
			assertThat(items(context)).isEqualTo("status 200");
			assertThat(this.server.requests()).containsExactly("GET /items", "GET /items", "GET /items");
		});
	}

	@Test
	void openBreakerOfTheGroupFailsFastWithoutReachingTheServer() {
		runner().run((context) -> {
			context.getBean(CircuitBreakerRegistry.class).circuitBreaker("inventory").transitionToOpenState();
			assertThatExceptionOfType(CallNotPermittedException.class).isThrownBy(() -> items(context));
			assertThat(this.server.count()).isZero();
		});
	}

	@Test
	void groupsAreLeftAloneWhenSwitchedOff() {
		this.server.then(Reply.status(503));
		runner().withPropertyValues("clambake.resilience.http-service-groups=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ResilientReactiveHttpServiceGroups.class);
			assertThatExceptionOfType(WebClientResponseException.ServiceUnavailable.class)
				.isThrownBy(() -> items(context));
			assertThat(this.server.count()).isEqualTo(1);
		});
	}

	interface Inventory {

		@GetExchange("/items")
		Mono<String> items();

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "inventory", types = Inventory.class, clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
	static class InventoryServices {

	}

}
