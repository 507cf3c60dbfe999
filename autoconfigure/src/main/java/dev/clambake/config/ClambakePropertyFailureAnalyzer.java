package dev.clambake.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.util.unit.DataSize;

/**
 * Explains a {@code clambake.*} property that failed to bind: the property, the value (masked
 * when secret), where it came from (the environment variable's own name, or the file and line),
 * why it was refused and what is allowed. Runs before Spring Boot's generic bind analyzer.
 */
class ClambakePropertyFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		ConfigurationProperty property = cause.getProperty();
		if (property == null || !property.getName().toString().startsWith("clambake.")) {
			return null;
		}
		String name = property.getName().toString();
		String value = SecretMasking.mask(name, property.getValue());
		Class<?> type = cause.getTarget().getType().resolve(Object.class);
		String origin = describe(property.getOrigin());
		String nl = System.lineSeparator();
		String description = "Invalid value for Clambake property '" + name + "':" + nl + nl + "    Property: " + name
				+ nl + "    Value:    \"" + value + "\"" + nl + "    Origin:   " + origin + nl + "    Reason:   "
				+ reason(cause, value, type);
		String where = origin.startsWith("environment variable ") ? origin : name + " in " + origin;
		String action = "Change " + where + " to " + allowed(type) + ".";
		return new FailureAnalysis(description, action, cause);
	}

	private static String describe(@Nullable Origin origin) {
		if (origin instanceof PropertySourceOrigin wrapper && wrapper.getOrigin() != null) {
			return describe(wrapper.getOrigin());
		}
		if (origin instanceof SystemEnvironmentOrigin environment) {
			return "environment variable " + environment.getProperty();
		}
		return (origin != null) ? origin.toString() : "unknown source";
	}

	private String reason(BindException cause, String value, Class<?> type) {
		if (findCause(cause, ConversionFailedException.class) != null) {
			return "\"" + value + "\" is not " + allowed(type);
		}
		Throwable root = cause;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	static String allowed(Class<?> type) {
		if (type.isEnum()) {
			return "one of " + Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.collect(Collectors.joining(", "));
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == Duration.class) {
			return "a duration such as 500ms, 2s, 5m or PT2S";
		}
		if (type == DataSize.class) {
			return "a size such as 512KB or 10MB";
		}
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "a whole number";
		}
		if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
			return "a number";
		}
		return "a valid " + type.getSimpleName();
	}

}
