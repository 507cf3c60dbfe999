package dev.clambake.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;

/**
 * Every {@code clambake.*} property, read from the configuration metadata that
 * {@code spring-boot-configuration-processor} writes into each jar. Lets start-up recognise a
 * {@code CLAMBAKE_*} environment variable without binding anything.
 */
final class ClambakePropertyCatalog {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final String PREFIX = "clambake.";

	private final Map<String, String> typesByName;

	ClambakePropertyCatalog(Map<String, String> typesByName) {
		this.typesByName = Collections.unmodifiableMap(new TreeMap<>(typesByName));
	}

	static ClambakePropertyCatalog load(@Nullable ClassLoader classLoader) {
		ClassLoader loader = (classLoader != null) ? classLoader : ClambakePropertyCatalog.class.getClassLoader();
		Map<String, String> types = new TreeMap<>();
		JsonParser parser = JsonParserFactory.getJsonParser();
		try {
			Enumeration<URL> resources = loader.getResources(METADATA);
			while (resources.hasMoreElements()) {
				String json = read(resources.nextElement());
				// Most jars describe other properties: parse only those that mention ours
				if (json.contains("\"" + PREFIX)) {
					addProperties(types, parser, json);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Clambake could not read configuration metadata", ex);
		}
		return new ClambakePropertyCatalog(types);
	}

	private static String read(URL url) throws IOException {
		try (InputStream in = url.openStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@SuppressWarnings("unchecked")
	private static void addProperties(Map<String, String> types, JsonParser parser, String json) {
		Object properties = parser.parseMap(json).get("properties");
		if (properties instanceof List<?> list) {
			for (Object item : list) {
				Map<String, Object> property = (Map<String, Object>) item;
				Object name = property.get("name");
				if (name instanceof String text && text.startsWith(PREFIX)) {
					Object type = property.get("type");
					types.put(text, (type instanceof String typeName) ? typeName : "java.lang.String");
				}
			}
		}
	}

	/**
	 * Return every known property name with its Java type.
	 */
	Map<String, String> properties() {
		return this.typesByName;
	}

	/**
	 * Whether the property is a map whose values are single values, so that an environment
	 * variable's whole remaining name is the key.
	 */
	boolean isScalarMap(String name) {
		String type = this.typesByName.get(name);
		if (type == null || !type.startsWith("java.util.Map<")) {
			return false;
		}
		String valueType = type.substring(type.indexOf(',') + 1, type.length() - 1).trim();
		return valueType.startsWith("java.lang.") || valueType.startsWith("java.time.")
				|| valueType.startsWith("org.springframework.util.unit.") || valueType.startsWith("dev.clambake.config.");
	}

	boolean isMap(String name) {
		String type = this.typesByName.get(name);
		return type != null && type.startsWith("java.util.Map<");
	}

	boolean isCollection(String name) {
		String type = this.typesByName.get(name);
		return type != null && (type.startsWith("java.util.List<") || type.startsWith("java.util.Set<")
				|| type.startsWith("java.util.Collection<") || type.endsWith("[]"));
	}

	/**
	 * Return the environment variable users write for a property:
	 * {@code clambake.config.fail-on-unknown-env} is {@code CLAMBAKE_CONFIG_FAIL_ON_UNKNOWN_ENV}.
	 */
	static String environmentVariable(String propertyName) {
		return propertyName.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
	}

}
