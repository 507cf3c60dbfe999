package dev.clambake;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata an IDE reads, checked against the code, and the property
 * reference ({@code docs/properties.md}) checked against the metadata: every default a
 * properties class holds is in the metadata, each map of objects (the per-client keys of
 * {@code clambake.http.clients.*}, say) has an entry per key its values bind, and the page is what the
 * metadata renders to. Run with {@code -Dclambake.docs.write=true} to rewrite the page.
 */
class ConfigurationMetadataTests {

	private static final Path PROPERTIES_PAGE = Path.of("..", "docs", "properties.md");

	private static final Pattern MAP_OF_OBJECTS = Pattern
		.compile("java\\.util\\.Map<java\\.lang\\.String,(dev\\.clambake\\.[A-Za-z0-9_.$]+)>");

	/**
	 * The page in {@code docs/} that explains each root group; a new capability's properties
	 * need a page before they can be documented.
	 */
	private static final Map<String, String> PAGES = Map.ofEntries(Map.entry("clambake", "configuration.md"),
			Map.entry("clambake.config", "configuration.md"),
			Map.entry("clambake.correlation", "correlation-and-logs.md"),
			Map.entry("clambake.logging", "correlation-and-logs.md"),
			Map.entry("clambake.metrics", "metrics-and-tracing.md"),
			Map.entry("clambake.observability", "metrics-and-tracing.md"),
			Map.entry("clambake.tracing", "metrics-and-tracing.md"),
			Map.entry("clambake.health", "health-and-probes.md"), Map.entry("clambake.shutdown", "shutdown.md"),
			Map.entry("clambake.resilience", "outbound-calls.md"), Map.entry("clambake.http", "outbound-calls.md"),
			Map.entry("clambake.state", "state-store.md"), Map.entry("clambake.lease", "leases.md"),
			Map.entry("clambake.report", "readiness-report.md"),
			Map.entry("management.endpoint.clambake", "readiness-report.md"));

	private final ConversionService conversion = ApplicationConversionService.getSharedInstance();

	private final JsonNode metadata = readMetadata();

	@Test
	void everyDefaultThePropertiesClassesHoldIsInTheMetadata() throws Exception {
		Map<String, Object> instances = new LinkedHashMap<>();
		List<String> checked = new ArrayList<>();
		for (JsonNode property : this.metadata.get("properties")) {
			String name = property.get("name").asString();
			if (!name.startsWith("clambake.") || name.contains(".*.")) {
				continue;
			}
			JsonNode root = rootGroup(name);
			Object instance = instances.computeIfAbsent(root.get("type").asString(), this::instantiate);
			BeanWrapper wrapper = new BeanWrapperImpl(instance);
			String path = beanPath(name.substring(root.get("name").asString().length() + 1));
			assertDefault(name, property, wrapper.getPropertyValue(path), wrapper.getPropertyTypeDescriptor(path));
			checked.add(name);
		}
		assertThat(checked).contains("clambake.correlation.accepted-headers", "clambake.metrics.slo",
				"clambake.state.pool.maximum-size");
	}

	@Test
	void eachMapOfObjectsHasAnEntryPerKeyOfItsValuesWithTheirDefaults() throws Exception {
		List<String> maps = new ArrayList<>();
		for (JsonNode property : this.metadata.get("properties")) {
			Matcher map = MAP_OF_OBJECTS.matcher(property.get("type").asString());
			if (property.get("name").asString().startsWith("clambake.") && map.matches()) {
				String prefix = property.get("name").asString() + ".*.";
				assertEntriesPerKey(prefix, ClassUtils.forName(map.group(1), getClass().getClassLoader()));
				maps.add(prefix);
			}
		}
		assertThat(maps).contains("clambake.http.clients.*.", "clambake.health.components.*.");
	}

	private void assertEntriesPerKey(String prefix, Class<?> valueType) {
		Map<String, String> bound = new TreeMap<>();
		collectBound(valueType, "", "", bound);
		Map<String, JsonNode> documented = new TreeMap<>();
		for (JsonNode property : this.metadata.get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith(prefix)) {
				documented.put(name.substring(prefix.length()), property);
			}
		}
		assertThat(documented.keySet())
			.as(prefix + "<key> entries in additional-spring-configuration-metadata.json")
			.isEqualTo(bound.keySet());
		BeanWrapper value = new BeanWrapperImpl(BeanUtils.instantiateClass(valueType));
		documented.forEach((key, property) -> {
			String path = bound.get(key);
			assertThat(property.path("description").asString()).as(prefix + key).isNotBlank();
			assertThat(simpleType(property.get("type").asString())).as(prefix + key + " type")
				.isEqualTo(simpleType(typeName(value.getPropertyTypeDescriptor(path))));
			assertDefault(prefix + key, property, value.getPropertyValue(path), value.getPropertyTypeDescriptor(path));
		});
	}

	// The keys a value binds, a nested object of Clambake's (a client's rate-limit.*) by its own keys
	private static void collectBound(Class<?> type, String keyPrefix, String pathPrefix, Map<String, String> bound) {
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			Class<?> propertyType = descriptor.getPropertyType();
			String key = keyPrefix + kebab(descriptor.getName());
			String path = pathPrefix + descriptor.getName();
			if (descriptor.getWriteMethod() != null) {
				bound.put(key, path);
			}
			else if (propertyType != null && propertyType.getName().startsWith("dev.clambake.")
					&& descriptor.getReadMethod() != null) {
				collectBound(propertyType, key + ".", path + ".", bound);
			}
		}
	}

	@Test
	void everyClambakePropertyHasADescription() {
		for (JsonNode property : this.metadata.get("properties")) {
			String name = property.get("name").asString();
			if (!name.startsWith("management.endpoint.clambake.")) { // the actuator endpoint's, as Spring Boot writes it
				assertThat(property.path("description").asString()).as(name).isNotBlank().endsWith(".").doesNotContain("{@");
			}
		}
	}

	@Test
	void propertiesPageIsWhatTheMetadataRendersTo() throws IOException {
		String rendered = render();
		if (Boolean.getBoolean("clambake.docs.write")) {
			Files.writeString(PROPERTIES_PAGE, rendered, StandardCharsets.UTF_8);
		}
		assertThat(Files.readString(PROPERTIES_PAGE, StandardCharsets.UTF_8))
			.as("docs/properties.md differs from the configuration metadata; rewrite it with "
					+ "./mvnw -pl autoconfigure test -Dtest=ConfigurationMetadataTests -Dclambake.docs.write=true")
			.isEqualTo(rendered);
	}

	private void assertDefault(String name, JsonNode property, @Nullable Object actual, TypeDescriptor type) {
		JsonNode defaultValue = property.get("defaultValue");
		if (isUnset(actual)) {
			assertThat(defaultValue).as(name + ": the code has no default, the metadata must have none").isNull();
			return;
		}
		assertThat(defaultValue).as(name + ": the code's default " + actual + " is missing from the metadata")
			.isNotNull();
		Object raw = defaultValue.isArray() ? stringList(defaultValue) : defaultValue.asString();
		Object converted = this.conversion.convert(raw, TypeDescriptor.forObject(raw), type);
		assertThat(converted).as(name + ": metadata default " + defaultValue + " against the code's").isEqualTo(actual);
	}

	private static boolean isUnset(@Nullable Object value) {
		return value == null || (value instanceof Collection<?> collection && collection.isEmpty())
				|| (value instanceof Map<?, ?> map && map.isEmpty());
	}

	private JsonNode rootGroup(String name) {
		JsonNode root = null;
		for (JsonNode group : this.metadata.get("groups")) {
			String groupName = group.get("name").asString();
			boolean isRoot = group.get("type").asString().equals(group.get("sourceType").asString());
			if (isRoot && name.startsWith(groupName + ".")
					&& (root == null || groupName.length() > root.get("name").asString().length())) {
				root = group;
			}
		}
		assertThat(root).as("root group of " + name).isNotNull();
		return root;
	}

	private Object instantiate(String type) {
		try {
			return BeanUtils.instantiateClass(ClassUtils.forName(type, getClass().getClassLoader()));
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String render() {
		Map<String, List<JsonNode>> byRoot = new TreeMap<>(Comparator.comparing(this::sortKey));
		for (JsonNode property : this.metadata.get("properties")) {
			String name = property.get("name").asString();
			String root = rootGroup(name.contains(".*.") ? name.substring(0, name.indexOf(".*.")) : name).get("name")
				.asString();
			byRoot.computeIfAbsent(root, (key) -> new ArrayList<>()).add(property);
		}
		StringBuilder page = new StringBuilder();
		page.append("# Property reference\n\n");
		page.append("Every property Clambake reads, with its type, default and meaning, generated from the configuration\n");
		page.append("metadata the jar ships (`META-INF/spring-configuration-metadata.json`, which IDEs read too).\n");
		page.append("`ConfigurationMetadataTests` fails the build when this page and the metadata differ; rewrite it with\n");
		page.append("`./mvnw -pl autoconfigure test -Dtest=ConfigurationMetadataTests -Dclambake.docs.write=true`.\n\n");
		page.append("Properties are set like any Spring Boot property: in `application.yml`, as `CLAMBAKE_*` environment\n");
		page.append("variables, in `clambake.toml` or on the command line (see [Configuration](configuration.md)).\n");
		page.append("Durations take Spring Boot's forms (`500ms`, `5s`, `1m`); sizes `256KB`, `1GB`.\n");
		byRoot.forEach((root, properties) -> {
			String pageName = PAGES.get(root);
			assertThat(pageName).as("a page in docs/ for the properties under " + root + " (PAGES)").isNotNull();
			page.append("\n## `").append(root).append("`\n\n");
			page.append("Explained in [").append(title(pageName)).append("](").append(pageName).append(").\n\n");
			page.append("| property | type | default | description |\n|---|---|---|---|\n");
			properties.stream().sorted(Comparator.comparing((property) -> property.get("name").asString()))
				.forEach((property) -> page.append(row(property)));
		});
		return page.toString();
	}

	private String sortKey(String root) {
		return root.startsWith("clambake") ? "0" + root : "1" + root;
	}

	private String row(JsonNode property) {
		String name = property.get("name").asString().replace(".*.", ".<name>.");
		String type = property.get("type").asString();
		return "| `" + name + "` | " + escape(simpleType(type)) + allowedValues(type) + " | "
				+ defaultText(property.get("defaultValue")) + " | " + escape(property.get("description").asString())
				+ " |\n";
	}

	private String allowedValues(String type) {
		try {
			Class<?> candidate = ClassUtils.forName(type, getClass().getClassLoader());
			if (candidate.isEnum()) {
				return " (" + Arrays.stream(candidate.getEnumConstants())
					.map((constant) -> "`" + ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-') + "`")
					.collect(Collectors.joining(", ")) + ")";
			}
		}
		catch (ClassNotFoundException | LinkageError ex) {
			// a generic or unknown type: no values to list
		}
		return "";
	}

	private static String defaultText(@Nullable JsonNode defaultValue) {
		if (defaultValue == null) {
			return "";
		}
		if (defaultValue.isArray()) {
			return stringList(defaultValue).stream().map((value) -> "`" + value + "`").collect(Collectors.joining(", "));
		}
		return "`" + defaultValue.asString() + "`";
	}

	private static List<String> stringList(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return values;
	}

	private static String title(String page) {
		String words = page.substring(0, page.length() - ".md".length()).replace('-', ' ');
		return Character.toUpperCase(words.charAt(0)) + words.substring(1);
	}

	// The metadata names a primitive by its wrapper, as the configuration processor does
	private static String typeName(TypeDescriptor type) {
		return type.isPrimitive() ? type.getObjectType().getName() : type.toString();
	}

	static String simpleType(String type) {
		return type.replaceAll("(?:[a-z][a-z0-9_]*\\.)+", "").replaceAll("[A-Za-z0-9_]+\\$", "").replace(",", ", ");
	}

	private static String escape(String text) {
		return text.replace("|", "\\|").replace("\n", " ");
	}

	private static String beanPath(String kebabPath) {
		return Arrays.stream(kebabPath.split("\\.")).map(ConfigurationMetadataTests::camel)
			.collect(Collectors.joining("."));
	}

	private static String camel(String kebab) {
		StringBuilder camel = new StringBuilder();
		boolean upper = false;
		for (char c : kebab.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				camel.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return camel.toString();
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static JsonNode readMetadata() {
		try (InputStream in = ConfigurationMetadataTests.class.getClassLoader()
			.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("the configuration processor's output on the class path").isNotNull();
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
