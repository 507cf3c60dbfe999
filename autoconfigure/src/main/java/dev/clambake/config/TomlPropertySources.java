package dev.clambake.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * Reads a Clambake TOML file ({@code clambake.toml}, {@code .clambakerc}) into a property
 * source. Every key lives under {@code clambake.}: sections become path segments and
 * underscores become dashes, so {@code [config]} with {@code fail_on_unknown_env = true} sets
 * {@code clambake.config.fail-on-unknown-env}. Each value remembers its file and line.
 */
final class TomlPropertySources {

	private TomlPropertySources() {
	}

	static OriginTrackedMapPropertySource load(String name, Path file) {
		TomlParseResult toml = parse(file);
		Resource resource = new FileSystemResource(file);
		Map<String, Object> properties = new LinkedHashMap<>();
		addTable(properties, resource, toml, "clambake", List.of(), toml);
		return new OriginTrackedMapPropertySource(name, properties, true);
	}

	private static TomlParseResult parse(Path file) {
		TomlParseResult toml;
		try {
			toml = Toml.parse(Files.readString(file));
		}
		catch (IOException ex) {
			throw new InvalidConfigFileException(file, null, "it could not be read (" + ex.getMessage() + ")", ex);
		}
		if (toml.hasErrors()) {
			TomlParseError error = toml.errors().get(0);
			throw new InvalidConfigFileException(file, error.position(), error.getMessage(), error);
		}
		return toml;
	}

	private static void addTable(Map<String, Object> properties, Resource resource, TomlTable root, String prefix,
			List<String> path, TomlTable table) {
		for (String key : table.keySet()) {
			List<String> keyPath = new ArrayList<>(path);
			keyPath.add(key);
			String name = prefix + "." + propertyName(key);
			add(properties, resource, root.inputPositionOf(keyPath), name, root, keyPath, table.get(List.of(key)));
		}
	}

	private static void add(Map<String, Object> properties, Resource resource, @Nullable TomlPosition position,
			String name, TomlTable root, List<String> keyPath, @Nullable Object value) {
		if (value instanceof TomlTable table) {
			addTable(properties, resource, root, name, keyPath, table);
		}
		else if (value instanceof TomlArray array) {
			for (int i = 0; i < array.size(); i++) {
				Object element = array.get(i);
				if (element instanceof TomlTable table) {
					addArrayTable(properties, resource, name + "[" + i + "]", table);
				}
				else {
					add(properties, resource, position, name + "[" + i + "]", root, keyPath, element);
				}
			}
		}
		else if (value != null) {
			properties.put(name, OriginTrackedValue.of(scalar(value), origin(resource, position)));
		}
	}

	private static void addArrayTable(Map<String, Object> properties, Resource resource, String prefix,
			TomlTable table) {
		// Positions inside an array of tables are relative to that table
		addTable(properties, resource, table, prefix, List.of(), table);
	}

	private static Object scalar(Object value) {
		// Dates and times keep their TOML (ISO-8601) text; Boot converts the rest from strings
		return (value instanceof TemporalAccessor) ? value.toString() : value;
	}

	private static TextResourceOrigin origin(Resource resource, @Nullable TomlPosition position) {
		TextResourceOrigin.Location location = (position != null)
				? new TextResourceOrigin.Location(position.line() - 1, position.column() - 1) : null;
		return new TextResourceOrigin(resource, location);
	}

	static String propertyName(String key) {
		return key.replace('_', '-');
	}

}
