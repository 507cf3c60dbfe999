package dev.clambake.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code clambake.*} property is documented for IDEs: a description, and the default
 * when it has one that is not empty.
 */
class ConfigurationMetadataTests {

	@Test
	@SuppressWarnings("unchecked")
	void everyPropertyHasADescriptionAndScalarsHaveADefault() throws IOException {
		String json;
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		List<Map<String, Object>> properties = (List<Map<String, Object>>) JsonParserFactory.getJsonParser()
			.parseMap(json)
			.get("properties");
		assertThat(properties).isNotEmpty();
		for (Map<String, Object> property : properties) {
			String name = (String) property.get("name");
			if (name.startsWith("management.endpoint.clambake.")) {
				continue; // generated for the actuator endpoint, documented by Spring Boot
			}
			assertThat(name).startsWith("clambake.");
			assertThat((String) property.get("description")).as(name).isNotBlank().endsWith(".");
			String type = (String) property.get("type");
			// Properties whose absence means "not used" have no default
			boolean optional = name.equals("clambake.config.location") || name.equals("clambake.logging.file.dir")
					|| name.equals("clambake.state.username") || name.equals("clambake.state.password")
					|| name.equals("clambake.health.liveness.stuck-request-timeout");
			if (!optional && !type.startsWith("java.util.")) {
				assertThat(property).as(name + " default").containsKey("defaultValue");
			}
		}
	}

}
