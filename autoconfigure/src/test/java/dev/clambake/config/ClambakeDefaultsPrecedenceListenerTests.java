package dev.clambake.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ClambakeDefaultsPrecedenceListenerTests {

	@Test
	void applicationDefaultPropertiesOverrideClambakeDefaults() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
			.web(WebApplicationType.NONE)
			.properties("server.shutdown=immediate")
			.run()) {
			assertThat(context.getEnvironment().getProperty("server.shutdown")).isEqualTo("immediate");
			// Clambake's other defaults are still there, below the application's
			assertThat(context.getEnvironment().getProperty("management.endpoint.health.probes.enabled"))
				.isEqualTo("true");
			var names = context.getEnvironment().getPropertySources().stream().map((source) -> source.getName()).toList();
			assertThat(names.indexOf("defaultProperties")).isLessThan(names.indexOf("clambakeDefaults"));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
