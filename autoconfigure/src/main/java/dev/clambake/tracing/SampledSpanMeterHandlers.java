package dev.clambake.tracing;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry.ObservationConfig;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingAwareMeterObservationHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationHandlerGroup;

/**
 * Replaces Spring Boot's group of tracing and meter handlers with one that registers them the
 * same way (tracing handlers first, then meter handlers) but wraps meter handlers in
 * {@link SampledSpanMeterObservationHandler} rather than in
 * {@link TracingAwareMeterObservationHandler}.
 */
class SampledSpanMeterHandlers implements BeanPostProcessor {

	/**
	 * Spring Boot's package-private group that pairs tracing and meter handlers.
	 */
	static final String BOOT_GROUP = "org.springframework.boot.micrometer.tracing.autoconfigure.TracingAndMeterObservationHandlerGroup";

	private final ObjectProvider<Tracer> tracer;

	SampledSpanMeterHandlers(ObjectProvider<Tracer> tracer) {
		this.tracer = tracer;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ObservationHandlerGroup group && BOOT_GROUP.equals(bean.getClass().getName())) {
			return new Group(group, this.tracer);
		}
		return bean;
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
