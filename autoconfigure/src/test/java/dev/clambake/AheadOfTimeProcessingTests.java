package dev.clambake;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.clambake.testsupport.AheadOfTimeSources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Clambake auto-configuration, in a servlet and in a reactive application with every
 * capability switched on, can be processed ahead of time: Spring writes code for all of their bean
 * definitions, as Spring Boot's {@code process-aot} does at build time. The sample app's
 * {@code AheadOfTimeIT} runs such generated code.
 */
class AheadOfTimeProcessingTests {

	private static final List<String> AUTO_CONFIGURATIONS = List.of("config.ClambakeConfigAutoConfiguration",
			"correlation.ClambakeCorrelationAutoConfiguration", "health.ClambakeHealthAutoConfiguration",
			"lease.ClambakeLeaseAutoConfiguration", "logging.ClambakeLoggingAutoConfiguration", "metrics.ClambakeMetricsAutoConfiguration",
			"report.ClambakeReportAutoConfiguration", "resilience.ClambakeResilienceAutoConfiguration",
			"shutdown.ClambakeShutdownAutoConfiguration", "state.ClambakeStateAutoConfiguration",
			"state.ClambakeStateLibrariesAutoConfiguration", "tracing.ClambakeTracingAutoConfiguration");

	// What Clambake's environment post-processors would add, and every optional capability on
	private static final String[] PROPERTIES = { "spring.application.name=aot",
			"management.observations.annotations.enabled=true", "clambake.state.enabled=true",
			"clambake.tracing.log-spans=true",
			"management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces",
			"clambake.http.clients.upstream.base-url=http://127.0.0.1:8081" };

	@Test
	void servletApplication() {
		new WebApplicationContextRunner().withUserConfiguration(Application.class)
			.withPropertyValues(PROPERTIES)
			.prepare((context) -> assertProcessedAheadOfTime(context.getSourceApplicationContext()));
	}

	@Test
	void reactiveApplication() {
		new ReactiveWebApplicationContextRunner().withUserConfiguration(Application.class)
			.withPropertyValues(PROPERTIES)
			.prepare((context) -> assertProcessedAheadOfTime(context.getSourceApplicationContext()));
	}

	private static void assertProcessedAheadOfTime(ApplicationContext context) {
		Set<String> sources = AheadOfTimeSources.generate(context, Application.class).keySet();
		for (String autoConfiguration : AUTO_CONFIGURATIONS) {
			assertThat(sources).contains("dev/clambake/" + autoConfiguration.replace('.', '/') + "__BeanDefinitions.java");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
