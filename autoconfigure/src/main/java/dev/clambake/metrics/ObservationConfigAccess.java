package dev.clambake.metrics;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.Collection;

import dev.clambake.config.FastPaths;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry.ObservationConfig;
import org.jspecify.annotations.Nullable;

/**
 * The one place that reaches what Micrometer's {@link ObservationConfig} keeps package-private:
 * its handlers, its filters, and whether its predicates let an observation through. Reading
 * them is what lets the direct request path see every handler, filter and predicate, however
 * they were registered. When a method is gone or its signature changed, there is no access:
 * the direct path falls back to Spring's, saying so once.
 */
final class ObservationConfigAccess {

	/**
	 * The methods as Micrometer declares them today.
	 */
	static final Details DETAILS = new Details("getObservationHandlers", "getObservationFilters",
			"isObservationEnabled");

	private final MethodHandle handlers;

	private final MethodHandle filters;

	private final MethodHandle isObservationEnabled;

	private ObservationConfigAccess(MethodHandle handlers, MethodHandle filters, MethodHandle isObservationEnabled) {
		this.handlers = handlers;
		this.filters = filters;
		this.isObservationEnabled = isObservationEnabled;
	}

	/**
	 * Reach the methods, or report the fallback and return {@code null}.
	 * @param details the methods' names
	 * @param fastPaths where a fallback is reported
	 * @return the access, or {@code null} when a method is absent or has another signature
	 */
	static @Nullable ObservationConfigAccess of(Details details, FastPaths fastPaths) {
		try {
			return new ObservationConfigAccess(handle(details.handlers(), Collection.class),
					handle(details.filters(), Collection.class),
					handle(details.isObservationEnabled(), boolean.class, String.class, Observation.Context.class));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			fastPaths.fellBack(DirectServerHttpObservationFilter.NAME, DirectServerHttpObservationFilter.PROPERTY,
					"Micrometer's ObservationConfig cannot be read (" + ex + ").");
			return null;
		}
	}

	private static MethodHandle handle(String name, Class<?> returnType, Class<?>... parameterTypes)
			throws ReflectiveOperationException {
		Method method = ObservationConfig.class.getDeclaredMethod(name, parameterTypes);
		if (method.getReturnType() != returnType) {
			throw new NoSuchMethodException(ObservationConfig.class.getName() + "#" + name + " returns "
					+ method.getReturnType().getName() + ", not " + returnType.getName());
		}
		method.setAccessible(true);
		return MethodHandles.lookup().unreflect(method);
	}

	@SuppressWarnings("unchecked")
	Collection<ObservationHandler<?>> handlers(ObservationConfig config) {
		try {
			return (Collection<ObservationHandler<?>>) this.handlers.invoke(config);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Observation handlers could not be read", ex);
		}
	}

	@SuppressWarnings("unchecked")
	Collection<ObservationFilter> filters(ObservationConfig config) {
		try {
			return (Collection<ObservationFilter>) this.filters.invoke(config);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Observation filters could not be read", ex);
		}
	}

	boolean isObservationEnabled(ObservationConfig config, Observation.Context context) {
		try {
			return (boolean) this.isObservationEnabled.invoke(config, context.getName(), context);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Observation predicates could not be evaluated", ex);
		}
	}

	/**
	 * The names of the methods reached.
	 *
	 * @param handlers the method returning the registered handlers
	 * @param filters the method returning the registered filters
	 * @param isObservationEnabled the method applying the predicates
	 */
	record Details(String handlers, String filters, String isObservationEnabled) {

	}

}
