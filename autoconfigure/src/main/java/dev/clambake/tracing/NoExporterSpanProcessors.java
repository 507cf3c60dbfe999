package dev.clambake.tracing;

import java.util.List;

import dev.clambake.config.FastPaths;
import io.micrometer.tracing.exporter.SpanReporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
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

	static final String NAME = "no-exporter-span-processors";

	static final String PROPERTY = "clambake.tracing.fast-paths.no-exporter-span-processors";

	/**
	 * The name of Spring Boot's batch span processor bean.
	 */
	static final String BOOT_BATCH_PROCESSOR = "otelSpanProcessor";

	private final ObjectProvider<FastPaths> fastPaths;

	private final String batchProcessorBeanName;

	private ListableBeanFactory beanFactory;

	NoExporterSpanProcessors(ObjectProvider<FastPaths> fastPaths) {
		this(fastPaths, BOOT_BATCH_PROCESSOR);
	}

	NoExporterSpanProcessors(ObjectProvider<FastPaths> fastPaths, String batchProcessorBeanName) {
		this.fastPaths = fastPaths;
		this.batchProcessorBeanName = batchProcessorBeanName;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (ListableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof SpanProcessors processors) {
			if (!nothingToExportTo()) {
				FastPaths.from(this.fastPaths).steppedAside(NAME, PROPERTY, "Spans have an exporter or a reporter.");
				return bean;
			}
			Object batch = this.beanFactory.containsBean(this.batchProcessorBeanName)
					? this.beanFactory.getBean(this.batchProcessorBeanName) : null;
			if (!(batch instanceof BatchSpanProcessor) || !processors.list().contains(batch)) {
				FastPaths.from(this.fastPaths).fellBack(NAME, PROPERTY, "Spring Boot's batch span processor is not"
						+ " the bean '" + this.batchProcessorBeanName + "' among the tracer's span processors.");
				return bean;
			}
			FastPaths.from(this.fastPaths).active(NAME, PROPERTY,
					"Spring Boot's bean '" + this.batchProcessorBeanName + "'");
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
