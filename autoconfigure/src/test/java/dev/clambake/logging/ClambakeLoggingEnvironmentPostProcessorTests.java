package dev.clambake.logging;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class ClambakeLoggingEnvironmentPostProcessorTests {

	private static final String CONSOLE_FORMAT = "logging.structured.format.console";

	@Test
	void developmentLogsHumanReadableLinesWithServiceAndEnvironmentReadyForJson() {
		StandardEnvironment environment = postProcess(Map.of("spring.application.name", "orders"));
		assertThat(environment.getProperty(CONSOLE_FORMAT)).isNull();
		assertThat(environment.getProperty("logging.structured.json.add.service_name")).isEqualTo("orders");
		assertThat(environment.getProperty("logging.structured.json.add.environment")).isEqualTo("development");
	}

	@Test
	void stagingAndProductionLogJsonLines() {
		for (String where : new String[] { "staging", "production", "Production" }) {
			StandardEnvironment environment = postProcess(Map.of("clambake.environment", where));
			assertThat(environment.getProperty(CONSOLE_FORMAT)).as(where).isEqualTo("logstash");
			assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("off");
			assertThat(environment.getProperty("logging.structured.json.add.environment"))
				.isEqualTo(where.toLowerCase());
		}
		assertThat(postProcess(Map.of("clambake.environment", "testing")).getProperty(CONSOLE_FORMAT)).isNull();
	}

	@Test
	void kubernetesLogsJsonLines() {
		StandardEnvironment environment = postProcess(Map.of("spring.main.cloud-platform", "kubernetes"));
		assertThat(environment.getProperty(CONSOLE_FORMAT)).isEqualTo("logstash");
	}

	@Test
	void kubernetesIsDetectedFromItsServiceVariables() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "KUBERNETES_SERVICE_PORT", "443")));
		new ClambakeLoggingEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(CONSOLE_FORMAT)).isEqualTo("logstash");
	}

	@Test
	void formatPropertyForcesEitherWay() {
		assertThat(postProcess(Map.of("clambake.logging.format", "json")).getProperty(CONSOLE_FORMAT))
			.isEqualTo("logstash");
		assertThat(postProcess(Map.of("clambake.logging.format", "text", "clambake.environment", "production"))
			.getProperty(CONSOLE_FORMAT)).isNull();
	}

	@Test
	void usersOwnLoggingPropertiesWin() {
		StandardEnvironment environment = postProcess(Map.of("clambake.environment", "production", CONSOLE_FORMAT,
				"ecs", "logging.structured.json.add.environment", "eu-prod"));
		assertThat(environment.getProperty(CONSOLE_FORMAT)).isEqualTo("ecs");
		assertThat(environment.getProperty("logging.structured.json.add.environment")).isEqualTo("eu-prod");
	}

	@Test
	void disabledAddsNothing() {
		StandardEnvironment environment = postProcess(
				Map.of("clambake.logging.enabled", "false", "clambake.environment", "production"));
		assertThat(environment.getPropertySources().contains(ClambakeLoggingEnvironmentPostProcessor.NAME)).isFalse();
		assertThat(environment.getProperty(CONSOLE_FORMAT)).isNull();
	}

	@Test
	void invalidEnvironmentIsLeftToTheFailureAnalysis() {
		StandardEnvironment environment = postProcess(Map.of("clambake.environment", "banana"));
		assertThat(environment.getProperty(CONSOLE_FORMAT)).isNull();
	}

	private StandardEnvironment postProcess(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("user", properties));
		new ClambakeLoggingEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

}
