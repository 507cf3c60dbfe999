package dev.clambake.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.registry.ImportHttpServices;

import dev.clambake.resilience.ScriptedServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code RestClient}s of Spring's HTTP service groups, guarded like named clients, against
 * a real HTTP server on loopback.
 */
class ResilientHttpServiceGroupsTests {

	private final ScriptedServer server = ScriptedServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private ApplicationContextRunner runner() {
		return ResilienceTestContexts.serviceGroupsRunner(this.server, HttpServiceClientAutoConfiguration.class,
				InventoryServices.class);
	}

	@Test
	void transientFailuresAreRetriedUntilSuccess() {
		this.server.then(Reply.status(503), Reply.status(502));
		runner().run((context) -> {
			assertThat(context.getBean(Inventory.class).items()).isEqualTo("status 200");
			assertThat(this.server.requests()).containsExactly("GET /items", "GET /items", "GET /items");
		});
	}

	@Test
	void postIsNotRetried() {
		this.server.then(Reply.status(503));
		runner().run((context) -> {
			assertThatExceptionOfType(HttpServerErrorException.ServiceUnavailable.class)
				.isThrownBy(() -> context.getBean(Inventory.class).reserve("{}"));
			assertThat(this.server.requests()).containsExactly("POST /reservations");
		});
	}

	@Test
	void openBreakerOfTheGroupFailsFastWithoutReachingTheServer() {
		runner().run((context) -> {
			context.getBean(CircuitBreakerRegistry.class).circuitBreaker("inventory").transitionToOpenState();
			assertThatExceptionOfType(CallNotPermittedException.class)
				.isThrownBy(() -> context.getBean(Inventory.class).items());
			assertThat(this.server.count()).isZero();
		});
	}

	@Test
	void guardsFollowTheClientPropertiesOfTheGroupsName() {
		this.server.otherwise(Reply.status(503));
		runner()
			.withPropertyValues("clambake.http.clients.inventory.retry=patient",
					"resilience4j.retry.instances.patient.max-attempts=5")
			.run((context) -> {
				assertThatExceptionOfType(HttpServerErrorException.ServiceUnavailable.class)
					.isThrownBy(() -> context.getBean(Inventory.class).items());
				assertThat(this.server.count()).isEqualTo(5);
			});
	}

	@Test
	void requestsAndRateLimitsCarryTheGroupsName() {
		this.server.then(Reply.status(200).header("X-RateLimit-Remaining", "42"));
		runner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, RestClientObservationAutoConfiguration.class))
			.run((context) -> {
				context.getBean(Inventory.class).items();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("http.client.requests").tag("client", "inventory").timer().count()).isEqualTo(1);
				assertThat(meters.get(RateLimitMetrics.REMAINING).tag("client", "inventory").gauge().value())
					.isEqualTo(42);
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "clambake.resilience.http-service-groups=false", "clambake.resilience.enabled=false" })
	void groupsAreLeftAloneWhenSwitchedOff(String switchedOff) {
		this.server.then(Reply.status(503));
		runner().withPropertyValues(switchedOff).run((context) -> {
			assertThat(context).doesNotHaveBean(ResilientHttpServiceGroups.class);
			assertThatExceptionOfType(HttpServerErrorException.ServiceUnavailable.class)
				.isThrownBy(() -> context.getBean(Inventory.class).items());
			assertThat(this.server.count()).isEqualTo(1);
		});
	}

	interface Inventory {

		@GetExchange("/items")
		String items();

		@PostExchange("/reservations")
		String reserve(@RequestBody String reservation);

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "inventory", types = Inventory.class)
	static class InventoryServices {

	}

}
