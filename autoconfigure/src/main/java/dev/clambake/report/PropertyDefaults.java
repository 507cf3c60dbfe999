package dev.clambake.report;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonParseException;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The defaults that properties declare in their configuration metadata
 * ({@value #LOCATION} of Clambake's jar and Spring Boot's): the value a property has when
 * no property source sets it.
 */
final class PropertyDefaults {

	static final String LOCATION = "META-INF/spring-configuration-metadata.json";

	private final Map<String, PropertyDefault> defaults;

	private PropertyDefaults(Map<String, PropertyDefault> defaults) {
		this.defaults = defaults;
	}

	/**
	 * Read the declared defaults of the given properties from every metadata file the class
	 * loader sees; the first file that declares a default for a property wins.
	 * @param classLoader the class loader to search
	 * @param names the canonical property names to look for
	 * @return the defaults found
	 */
	static PropertyDefaults load(@Nullable ClassLoader classLoader, Collection<String> names) {
		Map<String, PropertyDefault> defaults = new HashMap<>();
		ClassLoader loader = (classLoader != null) ? classLoader : PropertyDefaults.class.getClassLoader();
		try {
			Enumeration<URL> files = loader.getResources(LOCATION);
			while (files.hasMoreElements() && defaults.size() < names.size()) {
				read(files.nextElement(), names, defaults);
			}
		}
		catch (IOException ex) {
			// The report shows 'not set' for what it could not read; it never fails
		}
		return new PropertyDefaults(Map.copyOf(defaults));
	}

	private static void read(URL file, Collection<String> names, Map<String, PropertyDefault> defaults) {
		String json;
		try (InputStream input = file.openStream()) {
			json = new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return;
		}
		// Most metadata files declare none of the names: skip parsing them
		if (names.stream().noneMatch((name) -> json.contains('"' + name + '"'))) {
			return;
		}
		try {
			Object properties = JsonParserFactory.getJsonParser().parseMap(json).get("properties");
			if (properties instanceof List<?> list) {
				for (Object item : list) {
					if (item instanceof Map<?, ?> property) {
						add(property, names, defaults);
					}
				}
			}
		}
		catch (JsonParseException ex) {
			// A broken metadata file in some jar is not the report's concern
		}
	}

	private static void add(Map<?, ?> property, Collection<String> names, Map<String, PropertyDefault> defaults) {
		Object name = property.get("name");
		Object value = property.get("defaultValue");
		if (name instanceof String key && names.contains(key) && value != null && !defaults.containsKey(key)) {
			Object sourceType = property.get("sourceType");
			defaults.put(key, new PropertyDefault(format(value), (sourceType != null) ? sourceType.toString() : null));
		}
	}

	private static String format(Object value) {
		if (value instanceof Collection<?> values) {
			return values.stream().map(String::valueOf).collect(Collectors.joining(","));
		}
		return String.valueOf(value);
	}

	/**
	 * Return the declared default of a property.
	 * @param name the canonical property name
	 * @return the default, or {@code null} when the metadata declares none
	 */
	@Nullable PropertyDefault get(String name) {
		return this.defaults.get(name);
	}

	/**
	 * A property's declared default.
	 *
	 * @param value the default as the metadata writes it, lists comma-separated
	 * @param sourceType the class that declares the property, when the metadata names it
	 */
	record PropertyDefault(String value, @Nullable String sourceType) {

	}

}
