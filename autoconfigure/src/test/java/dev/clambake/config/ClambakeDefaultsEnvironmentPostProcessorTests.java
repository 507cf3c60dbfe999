package dev.clambake.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ClambakeDefaultsEnvironmentPostProcessorTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner();

	@Test
	void defaultsExposeProbesPrometheusAndGracefulShutdown() {
		this.runner.withInitializer(TestEnvironments.create().initializer()).run((context) -> {
			var environment = context.getEnvironment();
			assertThat(environment.getProperty("management.endpoints.web.exposure.include"))
				.isEqualTo("health,info,prometheus,clambake");
			assertThat(environment.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
			assertThat(environment.getProperty("management.health.livenessstate.enabled")).isEqualTo("true");
			assertThat(environment.getProperty("management.health.readinessstate.enabled")).isEqualTo("true");
			assertThat(environment.getProperty("server.shutdown")).isEqualTo("graceful");
			assertThat(environment.getProperty("spring.mvc.publish-request-handled-events")).isEqualTo("false");
		});
	}

	@Test
	void defaultsAreTheLowestPrecedenceSource() {
		ConfigurableEnvironment environment = TestEnvironments.create().build();
		PropertySource<?> last = environment.getPropertySources().stream().reduce((a, b) -> b).orElseThrow();
		assertThat(last.getName()).isEqualTo(ClambakeDefaultsEnvironmentPostProcessor.NAME);
	}

	@Test
	void applicationPropertyOverridesDefault() {
		this.runner
			.withInitializer(TestEnvironments.create()
				.applicationProperty("management.endpoints.web.exposure.include", "health")
				.applicationProperty("server.shutdown", "immediate")
				.initializer())
			.run((context) -> {
				assertThat(context.getEnvironment().getProperty("management.endpoints.web.exposure.include"))
					.isEqualTo("health");
				assertThat(context.getEnvironment().getProperty("server.shutdown")).isEqualTo("immediate");
			});
	}

	@Test
	void everyDefaultIsOverriddenByAnyOtherSource() {
		StandardEnvironment environment = new StandardEnvironment();
		new ClambakeDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		MapPropertySource user = new MapPropertySource("user", new java.util.HashMap<>());
		environment.getPropertySources().addFirst(user);
		PropertySource<?> defaults = environment.getPropertySources().get(ClambakeDefaultsEnvironmentPostProcessor.NAME);
		for (String name : ((MapPropertySource) defaults).getPropertyNames()) {
			user.getSource().put(name, "user-value");
			assertThat(environment.getProperty(name)).as(name).isEqualTo("user-value");
		}
		assertThat(((MapPropertySource) defaults).getPropertyNames()).isNotEmpty();
	}

	@Test
	void addsDefaultsOnlyOnce() {
		StandardEnvironment environment = new StandardEnvironment();
		var processor = new ClambakeDefaultsEnvironmentPostProcessor();
		processor.postProcessEnvironment(environment, new SpringApplication());
		processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().stream()
			.filter((source) -> source.getName().equals(ClambakeDefaultsEnvironmentPostProcessor.NAME))).hasSize(1);
	}

}
