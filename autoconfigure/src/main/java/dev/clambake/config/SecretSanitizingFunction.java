package dev.clambake.config;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks secrets (see {@link SecretMasking}) in the actuator's {@code env} and
 * {@code configprops} endpoints even where the application chose to show values.
 */
public class SecretSanitizingFunction implements SanitizingFunction {

	@Override
	public SanitizableData apply(SanitizableData data) {
		return SecretMasking.isSecret(data.getKey()) ? data.withSanitizedValue() : data;
	}

}
