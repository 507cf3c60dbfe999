package dev.clambake.correlation;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Lets Micrometer's context propagation (and with it Reactor's automatic context propagation)
 * carry the MDC's {@code correlationId} between the Reactor context and threads. Registered
 * through {@code META-INF/services}; it moves only a value that is already present.
 */
public class CorrelationIdThreadLocalAccessor implements ThreadLocalAccessor<String> {

	/**
	 * The key of the correlation id in a Reactor context or context snapshot.
	 */
	public static final String KEY = "clambake.correlationId";

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable String getValue() {
		return MDC.get(CorrelationIds.MDC_KEY);
	}

	@Override
	public void setValue(String value) {
		MDC.put(CorrelationIds.MDC_KEY, value);
	}

	@Override
	public void setValue() {
		MDC.remove(CorrelationIds.MDC_KEY);
	}

}
