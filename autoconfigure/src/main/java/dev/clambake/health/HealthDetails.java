package dev.clambake.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.clambake.config.SecretMasking;
import org.jspecify.annotations.Nullable;

/**
 * Keeps secrets out of health details: values under secret-looking keys are masked, and so
 * are credentials in URLs ({@code jdbc:postgresql://user:pw@host/db}, {@code ?password=pw}),
 * at every depth.
 */
final class HealthDetails {

	private HealthDetails() {
	}

	static Map<String, Object> sanitize(Map<String, Object> details) {
		Map<String, Object> sanitized = new LinkedHashMap<>();
		details.forEach((key, value) -> sanitized.put(key, sanitize(key, value)));
		return sanitized;
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Object sanitize(@Nullable String key, @Nullable Object value) {
		if (value == null) {
			return null;
		}
		if (SecretMasking.isSecret(key)) {
			return SecretMasking.MASK;
		}
		if (value instanceof Map<?, ?> map) {
			Map<Object, Object> sanitized = new LinkedHashMap<>();
			map.forEach((k, v) -> sanitized.put(k, sanitize(String.valueOf(k), v)));
			return sanitized;
		}
		if (value instanceof List<?> list) {
			return list.stream().map((item) -> sanitize(null, item)).toList();
		}
		if (value instanceof CharSequence text) {
			return SecretMasking.maskCredentials(text.toString());
		}
		return value;
	}

}
