package dev.clambake.resilience;

import io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import dev.clambake.config.ClambakeDefaultsEnvironmentPostProcessor;

/**
 * Context runners with Clambake's defaults as the lowest-precedence source, as at run time.
 */
final class ResilienceTestContexts {

	static final AutoConfigurations RESILIENCE = AutoConfigurations.of(CircuitBreakerAutoConfiguration.class,
			RetryAutoConfiguration.class, TimeLimiterAutoConfiguration.class, BulkheadAutoConfiguration.class,
			HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
			RestClientAutoConfiguration.class, ClambakeResilienceAutoConfiguration.class);

	/**
	 * {@link #RESILIENCE} with Spring Boot's reactive HTTP client and {@code WebClient} support.
	 */
	static final AutoConfigurations REACTIVE = AutoConfigurations.of(ReactiveHttpClientAutoConfiguration.class,
			WebClientAutoConfiguration.class);

	private static final String[] SHORT_WAITS = { "resilience4j.retry.configs.default.wait-duration=10ms",
			"resilience4j.retry.configs.default.exponential-max-wait-duration=40ms" };

	private ResilienceTestContexts() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withInitializer((context) -> new ClambakeDefaultsEnvironmentPostProcessor()
				.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
			.withConfiguration(RESILIENCE);
	}

	/**
	 * A runner with {@code WebClient} support, a named client {@code test} at the server, and
	 * waits short enough for tests.
	 */
	static ApplicationContextRunner reactiveRunner(ScriptedServer server) {
		return runner(server).withConfiguration(REACTIVE);
	}

	/**
	 * A runner with a named client {@code test} at the server, and waits short enough for tests.
	 */
	static ApplicationContextRunner runner(ScriptedServer server) {
		return runner().withPropertyValues("clambake.http.clients.test.base-url=" + server.url())
			.withPropertyValues(SHORT_WAITS);
	}

	/**
	 * A runner with Spring Boot's HTTP service client support (blocking or reactive), the
	 * application's {@code @ImportHttpServices} configuration, a group {@code inventory} at the
	 * server, and waits short enough for tests.
	 */
	static ApplicationContextRunner serviceGroupsRunner(ScriptedServer server, Class<?> httpServiceClientAutoConfiguration,
			Class<?> services) {
		return runner()
			.withConfiguration(AutoConfigurations.of(HttpServiceClientPropertiesAutoConfiguration.class,
					httpServiceClientAutoConfiguration))
			.withUserConfiguration(services)
			.withPropertyValues("spring.http.serviceclient.inventory.base-url=" + server.url())
			.withPropertyValues(SHORT_WAITS);
	}

}
