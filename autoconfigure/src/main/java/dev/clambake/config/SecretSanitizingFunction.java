package dev.clambake.config;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks secrets (see {@link SecretMasking}) in the actuator's {@code env} and
 * {@code configprops} endpoints even where the application chose to show values: values of
 * secret-looking keys, credentials inside URL values, and secret arguments in the JVM's
 * command line ({@code sun.java.command}).
 */
public class SecretSanitizingFunction implements SanitizingFunction {

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (SecretMasking.isSecret(data.getKey())) {
			return data.withSanitizedValue();
		}
		Object value = data.getValue();
		if (!SecretMasking.isText(value)) {
			return data;
		}
		String text = value.toString();
		String masked = SecretMasking.mask(data.getKey(), text);
		return masked.equals(text) ? data : data.withValue(masked);
	}

}
