package dev.clambake.tracing;

import java.util.ArrayList;
import java.util.List;

import dev.clambake.config.FastPaths;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry.ObservationConfig;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingAwareMeterObservationHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationHandlerGroup;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;

/**
 * Replaces Spring Boot's group of tracing and meter handlers with one that registers them the
 * same way (tracing handlers first, then meter handlers) but wraps meter handlers in
 * {@link SampledSpanMeterObservationHandler} rather than in
 * {@link TracingAwareMeterObservationHandler}.
 */
class SampledSpanMeterHandlers implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

	static final String NAME = "sampled-span-meters";

	static final String PROPERTY = "clambake.tracing.fast-paths.sampled-span-meters";

	/**
	 * Spring Boot's package-private group that pairs tracing and meter handlers.
	 */
	static final String BOOT_GROUP = "org.springframework.boot.micrometer.tracing.autoconfigure.TracingAndMeterObservationHandlerGroup";

	private final ObjectProvider<Tracer> tracer;

	private final ObjectProvider<FastPaths> fastPaths;

	private final String groupClassName;

	private @Nullable ListableBeanFactory beanFactory;

	private boolean seen;

	SampledSpanMeterHandlers(ObjectProvider<Tracer> tracer, ObjectProvider<FastPaths> fastPaths) {
		this(tracer, fastPaths, BOOT_GROUP);
	}

	SampledSpanMeterHandlers(ObjectProvider<Tracer> tracer, ObjectProvider<FastPaths> fastPaths,
			String groupClassName) {
		this.tracer = tracer;
		this.fastPaths = fastPaths;
		this.groupClassName = groupClassName;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof ListableBeanFactory listable) ? listable : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ObservationHandlerGroup group && this.groupClassName.equals(bean.getClass().getName())) {
			this.seen = true;
			FastPaths.from(this.fastPaths).active(NAME, PROPERTY, "Spring Boot's " + this.groupClassName);
			return new Group(group, this.tracer);
		}
		return bean;
	}

	// A group of Spring Boot's tracing auto-configuration of another class means the detail
	// changed; other groups (Boot's meter-only group, the application's) are not its concern
	@Override
	public void afterSingletonsInstantiated() {
		if (this.seen || this.beanFactory == null) {
			return;
		}
		String tracingPackage = MicrometerTracingAutoConfiguration.class.getPackageName();
		for (String name : this.beanFactory.getBeanNamesForType(ObservationHandlerGroup.class, false, false)) {
			Class<?> type = this.beanFactory.getType(name);
			if (type != null && type.getPackageName().equals(tracingPackage)) {
				FastPaths.from(this.fastPaths).fellBack(NAME, PROPERTY, "Spring Boot's tracing handler group is "
						+ type.getName() + ", not " + this.groupClassName + ".");
				return;
			}
		}
	}

	private record Group(ObservationHandlerGroup delegate, ObjectProvider<Tracer> tracer)
			implements ObservationHandlerGroup {

		@Override
		public boolean isMember(ObservationHandler<?> handler) {
			return this.delegate.isMember(handler);
		}

		// Boot's registration, with Clambake's wrapper: tracing handlers in one first-matching
		// composite, then each meter handler wrapped so exemplars can see the sampled span
		@Override
		@SuppressWarnings({ "rawtypes", "unchecked" })
		public void registerMembers(ObservationConfig config, List<ObservationHandler<?>> members) {
			List<ObservationHandler<?>> tracingHandlers = new ArrayList<>(members.size());
			List<ObservationHandler<?>> meterHandlers = new ArrayList<>(members.size());
			for (ObservationHandler<?> member : members) {
				if (member instanceof MeterObservationHandler meter
						&& !(member instanceof TracingAwareMeterObservationHandler)) {
					meterHandlers.add(new SampledSpanMeterObservationHandler<>(meter, this.tracer.getObject()));
				}
				else {
					tracingHandlers.add(member);
				}
			}
			register(config, tracingHandlers);
			register(config, meterHandlers);
		}

		private static void register(ObservationConfig config, List<ObservationHandler<?>> handlers) {
			if (handlers.size() == 1) {
				config.observationHandler(handlers.get(0));
			}
			else if (!handlers.isEmpty()) {
				config.observationHandler(new FirstMatchingCompositeObservationHandler(handlers));
			}
		}

		@Override
		public int compareTo(ObservationHandlerGroup other) {
			return this.delegate.compareTo(other);
		}

		@Override
		public Class<?> handlerType() {
			return this.delegate.handlerType();
		}

	}

}
