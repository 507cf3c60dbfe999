package dev.clambake.tracing;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.clambake.config.FastPaths;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties.Propagation.PropagationType;

/**
 * Replaces Spring Boot's composite text map propagator, when baggage is on and no
 * {@code management.tracing.baggage.remote-fields} are set, with one that reads and writes
 * the same headers without Micrometer's remote-field baggage propagator. With no remote fields
 * that propagator finds nothing, yet on every inbound request it runs a stream pipeline and
 * rebuilds the context's baggage. W3C {@code baggage} headers are propagated as before, by
 * OpenTelemetry's W3C baggage propagator.
 */
class NoRemoteFieldsPropagation implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

	static final String NAME = "no-remote-fields-propagation";

	static final String PROPERTY = "clambake.tracing.fast-paths.no-remote-fields-propagation";

	/**
	 * Spring Boot's package-private composite of the configured propagation types.
	 */
	static final String BOOT_COMPOSITE = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.CompositeTextMapPropagator";

	private final ObjectProvider<TracingProperties> properties;

	private final ObjectProvider<FastPaths> fastPaths;

	private final String compositeClassName;

	private @Nullable ListableBeanFactory beanFactory;

	private boolean seen;

	NoRemoteFieldsPropagation(ObjectProvider<TracingProperties> properties, ObjectProvider<FastPaths> fastPaths) {
		this(properties, fastPaths, BOOT_COMPOSITE);
	}

	NoRemoteFieldsPropagation(ObjectProvider<TracingProperties> properties, ObjectProvider<FastPaths> fastPaths,
			String compositeClassName) {
		this.properties = properties;
		this.fastPaths = fastPaths;
		this.compositeClassName = compositeClassName;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof ListableBeanFactory listable) ? listable : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof TextMapPropagator && this.compositeClassName.equals(bean.getClass().getName())) {
			this.seen = true;
			TracingProperties tracing = this.properties.getIfAvailable();
			if (tracing != null && tracing.getBaggage().isEnabled() && tracing.getBaggage().getRemoteFields().isEmpty()) {
				fastPaths().active(NAME, PROPERTY, "Spring Boot's " + this.compositeClassName);
				return Composite.of(tracing.getPropagation());
			}
			fastPaths().steppedAside(NAME, PROPERTY, "Baggage remote fields are set, or baggage is off.");
		}
		return bean;
	}

	// Spring Boot's own propagator of another class means the detail changed; the application's
	// own propagator is its choice
	@Override
	public void afterSingletonsInstantiated() {
		if (this.seen || this.beanFactory == null) {
			return;
		}
		for (String name : this.beanFactory.getBeanNamesForType(TextMapPropagator.class, false, false)) {
			Class<?> type = this.beanFactory.getType(name);
			if (type != null && type.getName().startsWith("org.springframework.boot.")) {
				fastPaths().fellBack(NAME, PROPERTY, "Spring Boot's text map propagator is " + type.getName()
						+ ", not " + this.compositeClassName + ".");
				return;
			}
		}
	}

	private FastPaths fastPaths() {
		return FastPaths.from(this.fastPaths);
	}

	/**
	 * Boot's composite without the remote-field baggage propagator: every produced type
	 * injects; of the consumed types the first that finds a context wins. Extraction skips
	 * what cannot find anything: the W3C baggage propagator without a {@code baggage} header, and
	 * B3 without a B3 header (OpenTelemetry's B3 extractor builds a log message for every
	 * request without one, and Spring Boot consumes B3 by default). Both B3 types read the
	 * single header and then the multiple ones, so one B3 extractor serves both.
	 */
	record Composite(List<TextMapPropagator> injectors, List<TextMapPropagator> extractors,
			Collection<String> fields) implements TextMapPropagator {

		private static final TextMapPropagator W3C_EXTRACTOR = TextMapPropagator.composite(
				W3CTraceContextPropagator.getInstance(),
				new WhenPresent(W3CBaggagePropagator.getInstance(), List.of("baggage")));

		private static final TextMapPropagator B3_EXTRACTOR = new WhenPresent(B3Propagator.injectingSingleHeader(),
				List.of("b3", "X-B3-TraceId"));

		static Composite of(TracingProperties.Propagation propagation) {
			List<PropagationType> type = propagation.getType();
			List<PropagationType> produce = (type != null) ? type : propagation.getProduce();
			List<PropagationType> consume = (type != null) ? type : propagation.getConsume();
			List<TextMapPropagator> injectors = produce.stream().map(Composite::propagator).toList();
			List<TextMapPropagator> extractors = consume.stream().map(Composite::extractor).distinct().toList();
			Set<String> fields = new LinkedHashSet<>();
			injectors.forEach((injector) -> fields.addAll(injector.fields()));
			consume.forEach((consumed) -> fields.addAll(propagator(consumed).fields()));
			return new Composite(injectors, extractors, Collections.unmodifiableSet(fields));
		}

		private static TextMapPropagator propagator(PropagationType type) {
			return switch (type) {
				case W3C -> TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
						W3CBaggagePropagator.getInstance());
				case B3 -> B3Propagator.injectingSingleHeader();
				case B3_MULTI -> B3Propagator.injectingMultiHeaders();
			};
		}

		private static TextMapPropagator extractor(PropagationType type) {
			return switch (type) {
				case W3C -> W3C_EXTRACTOR;
				case B3, B3_MULTI -> B3_EXTRACTOR;
			};
		}

		@Override
		public <C> void inject(Context context, @Nullable C carrier, TextMapSetter<C> setter) {
			if (context != null && setter != null) {
				for (TextMapPropagator injector : this.injectors) {
					injector.inject(context, carrier, setter);
				}
			}
		}

		@Override
		public <C> Context extract(Context context, @Nullable C carrier, TextMapGetter<C> getter) {
			if (context == null) {
				return Context.root();
			}
			if (getter == null) {
				return context;
			}
			for (TextMapPropagator extractor : this.extractors) {
				Context extracted = extractor.extract(context, carrier, getter);
				if (extracted != context) {
					return extracted;
				}
			}
			return context;
		}

	}

	/**
	 * Extracts with its delegate only when the carrier has one of the headers the delegate
	 * starts from; without them the delegate would return the context unchanged.
	 */
	record WhenPresent(TextMapPropagator delegate, List<String> headers) implements TextMapPropagator {

		@Override
		public Collection<String> fields() {
			return this.delegate.fields();
		}

		@Override
		public <C> void inject(Context context, @Nullable C carrier, TextMapSetter<C> setter) {
			this.delegate.inject(context, carrier, setter);
		}

		@Override
		public <C> Context extract(Context context, @Nullable C carrier, TextMapGetter<C> getter) {
			for (String header : this.headers) {
				if (getter.get(carrier, header) != null) {
					return this.delegate.extract(context, carrier, getter);
				}
			}
			return context;
		}

	}

}
