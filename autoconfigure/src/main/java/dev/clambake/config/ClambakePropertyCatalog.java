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

	static final String VARIABLE_PREFIX = "CLAMBAKE_";

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

	/**
	 * Return the property a variable sets when it names an entry of a map of single values,
	 * the rest of its name being the key.
	 */
	@Nullable String mapEntryName(String variable) {
		for (String property : this.typesByName.keySet()) {
			String prefix = environmentVariable(property) + "_";
			if (isScalarMap(property) && variable.startsWith(prefix) && variable.length() > prefix.length()) {
				String key = variable.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
				return property + "." + key;
			}
		}
		return null;
	}

	boolean isKnown(String variable) {
		for (String property : this.typesByName.keySet()) {
			String known = environmentVariable(property);
			// Boot also binds the form without dashes: CLAMBAKE_CONFIG_FAILONUNKNOWNENV
			String compact = property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
			if (variable.equals(known) || variable.equals(compact)) {
				return true;
			}
			if ((isCollection(property) && variable.matches("\\Q" + known + "\\E_[0-9]+(_.*)?"))
					|| (isMap(property) && variable.startsWith(known + "_"))) {
				return true;
			}
		}
		return false;
	}

	@Nullable String closest(String variable) {
		String closest = null;
		int best = Integer.MAX_VALUE;
		for (String property : this.typesByName.keySet()) {
			String candidate = environmentVariable(property);
			if (isMap(property)) {
				// Compare with the same key under the map, so CLAMBAKE_FEATUERS_X suggests CLAMBAKE_FEATURES_X
				candidate = candidate + "_" + keyAfter(variable, candidate.split("_").length);
			}
			int distance = distance(variable, candidate);
			if (distance < best) {
				best = distance;
				closest = candidate;
			}
		}
		return closest;
	}

	private static String keyAfter(String variable, int segments) {
		String[] parts = variable.split("_", segments + 1);
		return (parts.length > segments) ? parts[segments] : "NAME";
	}

	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
