package dev.clambake.resilience;

import java.time.Duration;

import com.sun.net.httpserver.Headers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

import dev.clambake.correlation.ClambakeCorrelationAutoConfiguration;
import dev.clambake.correlation.CorrelationIdThreadLocalAccessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Named {@code WebClient}s in an application without Spring Boot's webclient module (WebFlux
 * and Clambake's starter only): no {@code WebClient.Builder} bean and no
 * {@code WebClientCustomizer}, against a real HTTP server on loopback.
 */
class ClambakeWebClientsWithoutWebClientModuleTests {

	private static final String CORRELATION_ID = "order-4711";

	private final ScriptedServer server = ScriptedServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private ApplicationContextRunner runner() {
		return ResilienceTestContexts.runner(this.server)
			.withConfiguration(AutoConfigurations.of(ReactiveHttpClientAutoConfiguration.class,
					ClambakeCorrelationAutoConfiguration.class, ObservationAutoConfiguration.class,
					MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
					MicrometerTracingAutoConfiguration.class))
			// Spring Boot's webclient module: WebClientCustomizer and its auto-configurations
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.webclient"));
	}

	private static void get(ApplicationContext context) {
		context.getBean(ClambakeWebClients.class).webClient("test").get().uri("/items").retrieve()
			.toBodilessEntity()
			.contextWrite(Context.of(CorrelationIdThreadLocalAccessor.KEY, CORRELATION_ID))
			.block(Duration.ofSeconds(30));
	}

	private static void awaitOneTimer(ApplicationContext context, String name) {
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		// The observation stops after the client has the response
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(
					meters.get(name).tag("client", "test").tag("uri", "/items").tag("status", "200").timer().count())
				.isEqualTo(1));
	}

	@Test
	void requestsCarryTheCorrelationIdAndTraceHeadersAndAreTimed() {
		runner().run((context) -> {
			assertThat(context).doesNotHaveBean(WebClient.Builder.class);
			get(context);
			assertThat(this.server.requestHeaders()).hasSize(1);
			Headers headers = this.server.requestHeaders().get(0);
			assertThat(headers.getFirst("X-Correlation-ID")).isEqualTo(CORRELATION_ID);
			assertThat(headers.getFirst("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
			awaitOneTimer(context, "http.client.requests");
		});
	}

	@Test
	void observationNameFollowsSpringBootsProperty() {
		runner().withPropertyValues("management.observations.http.client.requests.name=upstream.calls")
			.run((context) -> {
				get(context);
				awaitOneTimer(context, "upstream.calls");
				assertThat(context.getBean(MeterRegistry.class).find("http.client.requests").timers()).isEmpty();
			});
	}

	@Test
	void userObservationConventionWins() {
		runner().withUserConfiguration(UserConvention.class).run((context) -> {
			get(context);
			awaitOneTimer(context, "user.calls");
		});
	}

	@Test
	void correlationDisabledSendsNoCorrelationIdButStillTraces() {
		runner().withPropertyValues("clambake.correlation.enabled=false").run((context) -> {
			get(context);
			Headers headers = this.server.requestHeaders().get(0);
			assertThat(headers.getFirst("X-Correlation-ID")).isNull();
			assertThat(headers.getFirst("traceparent")).isNotNull();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserConvention {

		@Bean
		ClientRequestObservationConvention userClientRequestObservationConvention() {
			return new DefaultClientRequestObservationConvention("user.calls");
		}

	}

}
