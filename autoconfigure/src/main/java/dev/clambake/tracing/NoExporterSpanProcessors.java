package dev.clambake.tracing;

import java.util.List;

import io.micrometer.tracing.exporter.SpanReporter;
import io.opentelemetry.sdk.trace.SpanProcessor;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanProcessors;

/**
 * Leaves Spring Boot's batch span processor out of the tracer provider while it has nowhere to
 * send spans: no {@code SpanExporter} bean (no OTLP endpoint is configured, Clambake's default)
 * and no {@link SpanReporter} bean. Otherwise it queues every sampled span and, on its worker
 * thread, converts each one for an empty list of exporters. Other span processors, such as
 * {@code clambake.tracing.log-spans}'s, stay.
 */
class NoExporterSpanProcessors implements BeanPostProcessor, BeanFactoryAware {

	/**
	 * The name of Spring Boot's batch span processor bean.
	 */
	static final String BOOT_BATCH_PROCESSOR = "otelSpanProcessor";

	private ListableBeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (ListableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof SpanProcessors processors && nothingToExportTo()
				&& this.beanFactory.containsBean(BOOT_BATCH_PROCESSOR)) {
			Object batch = this.beanFactory.getBean(BOOT_BATCH_PROCESSOR);
			List<SpanProcessor> kept = processors.list().stream().filter((processor) -> processor != batch).toList();
			return SpanProcessors.of(kept);
		}
		return bean;
	}

	private boolean nothingToExportTo() {
		SpanExporters exporters = this.beanFactory.getBeanProvider(SpanExporters.class).getIfAvailable();
		return exporters != null && exporters.list().isEmpty()
				&& this.beanFactory.getBeanNamesForType(SpanReporter.class, true, false).length == 0;
	}

}
