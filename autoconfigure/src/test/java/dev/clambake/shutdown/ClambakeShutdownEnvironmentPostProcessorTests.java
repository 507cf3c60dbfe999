package dev.clambake.shutdown;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class ClambakeShutdownEnvironmentPostProcessorTests {

	private final ClambakeShutdownEnvironmentPostProcessor postProcessor = new ClambakeShutdownEnvironmentPostProcessor();

	@Test
	void onKubernetesTheDrainDelayDefaultsToFiveSeconds() {
		StandardEnvironment environment = environment(
				Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "KUBERNETES_SERVICE_PORT", "443"), Map.of());
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(drainDelay(environment)).isEqualTo(Duration.ofSeconds(5));
		assertThat(environment.getPropertySources().get(ClambakeShutdownEnvironmentPostProcessor.NAME)).isNotNull();
	}

	@Test
	void theApplicationsValueWinsOnKubernetes() {
		StandardEnvironment environment = environment(Map.of(),
				Map.of("spring.main.cloud-platform", "kubernetes", "clambake.shutdown.drain-delay", "12s"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().get(ClambakeShutdownEnvironmentPostProcessor.NAME)).isNotNull();
		assertThat(drainDelay(environment)).isEqualTo(Duration.ofSeconds(12));
	}

	@Test
	void elsewhereNothingIsAdded() {
		StandardEnvironment environment = environment(Map.of("HOME", "/root"), Map.of());
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().get(ClambakeShutdownEnvironmentPostProcessor.NAME)).isNull();
		assertThat(environment.containsProperty("clambake.shutdown.drain-delay")).isFalse();
	}

	private static StandardEnvironment environment(Map<String, Object> variables, Map<String, Object> application) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		environment.getPropertySources().addFirst(new MapPropertySource("application", application));
		return environment;
	}

	private static Duration drainDelay(StandardEnvironment environment) {
		return Binder.get(environment).bind("clambake.shutdown.drain-delay", Duration.class).get();
	}

}
