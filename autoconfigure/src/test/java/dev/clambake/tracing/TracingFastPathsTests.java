package dev.clambake.tracing;

import java.util.List;

import dev.clambake.config.ClambakeConfigAutoConfiguration;
import dev.clambake.config.FastPath;
import dev.clambake.config.FastPaths;
import dev.clambake.report.ClambakeReportAutoConfiguration;
import dev.clambake.report.Finding;
import dev.clambake.report.ProductionReadinessReporter;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationHandlerGroup;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanProcessors;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing's fast paths against the Spring Boot version built against: each detail they rely on
 * is there and each one is active; switched off, Boot's own objects stay; and when a detail
 * is not what a fast path expects, Boot's public path runs, one WARN says so and the report
 * has a finding.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingFastPathsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, ClambakeTracingAutoConfiguration.class,
				ClambakeConfigAutoConfiguration.class, ClambakeReportAutoConfiguration.class));

	@Test
	void springBootsPackagePrivateClassesAreTheOnesTheFastPathsName() throws Exception {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(TextMapPropagator.class)
			.isAssignableFrom(ClassUtils.forName(NoRemoteFieldsPropagation.BOOT_COMPOSITE, classLoader));
		assertThat(ObservationHandlerGroup.class)
			.isAssignableFrom(ClassUtils.forName(SampledSpanMeterHandlers.BOOT_GROUP, classLoader));
		assertThat(ClassUtils.forName(SampledSpanMeterHandlers.BOOT_GROUP, classLoader).getPackageName())
			.isEqualTo(MicrometerTracingAutoConfiguration.class.getPackageName());
	}

	@Test
	void everyFastPathIsActiveOnTheSupportedSpringBoot(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context.getBean(FastPaths.class).activeNames()).contains(NoRemoteFieldsPropagation.NAME,
					SampledSpanMeterHandlers.NAME, NoExporterSpanProcessors.NAME);
			assertThat(context.getBean(TextMapPropagator.class)).isInstanceOf(NoRemoteFieldsPropagation.Composite.class);
			// Spring Boot's batch processor is the bean the fast path names
			assertThat(context.getBean(NoExporterSpanProcessors.BOOT_BATCH_PROCESSOR))
				.isInstanceOf(BatchSpanProcessor.class);
			assertThat(findings(context)).isEmpty();
		});
		assertThat(output).doesNotContain("fell back");
	}

	@Test
	void switchedOffSpringBootsObjectsStay() {
		this.runner
			.withPropertyValues("clambake.tracing.fast-paths.no-remote-fields-propagation=false",
					"clambake.tracing.fast-paths.sampled-span-meters=false",
					"clambake.tracing.fast-paths.no-exporter-span-processors=false")
			.run((context) -> {
				assertThat(context.getBean(FastPaths.class).list()).isEmpty();
				assertThat(context.getBean(TextMapPropagator.class).getClass().getName())
					.isEqualTo(NoRemoteFieldsPropagation.BOOT_COMPOSITE);
				assertThat(context.getBean(SpanProcessors.class).list())
					.contains(context.getBean(BatchSpanProcessor.class));
				assertThat(context).doesNotHaveBean(SampledSpanMeterHandlers.class);
			});
	}

	@Test
	void whenBootsCompositeHasAnotherNameBootsPropagatorStaysAfterOneWarning(CapturedOutput output) {
		this.runner.withPropertyValues("clambake.tracing.fast-paths.no-remote-fields-propagation=false")
			.withUserConfiguration(RenamedComposite.class)
			.run((context) -> {
				assertThat(context.getBean(TextMapPropagator.class).getClass().getName())
					.isEqualTo(NoRemoteFieldsPropagation.BOOT_COMPOSITE);
				assertFellBack(context, output, NoRemoteFieldsPropagation.NAME);
			});
	}

	@Test
	void whenBootsHandlerGroupHasAnotherNameBootsGroupStaysAfterOneWarning(CapturedOutput output) {
		this.runner.withPropertyValues("clambake.tracing.fast-paths.sampled-span-meters=false")
			.withUserConfiguration(RenamedGroup.class)
			.run((context) -> {
				assertThat(context.getBeansOfType(ObservationHandlerGroup.class).values())
					.anyMatch((group) -> group.getClass().getName().equals(SampledSpanMeterHandlers.BOOT_GROUP));
				assertFellBack(context, output, SampledSpanMeterHandlers.NAME);
			});
	}

	@Test
	void whenBootsBatchProcessorHasAnotherBeanNameItStaysAfterOneWarning(CapturedOutput output) {
		this.runner.withPropertyValues("clambake.tracing.fast-paths.no-exporter-span-processors=false")
			.withUserConfiguration(RenamedBatchProcessor.class)
			.run((context) -> {
				assertThat(context.getBean(SpanProcessors.class).list())
					.contains(context.getBean(BatchSpanProcessor.class));
				context.getBean(Tracer.class).nextSpan().name("work").start().end();
				assertFellBack(context, output, NoExporterSpanProcessors.NAME);
			});
	}

	private static void assertFellBack(AssertableApplicationContext context, CapturedOutput output, String name) {
		assertThat(context).hasNotFailed();
		assertThat(context.getBean(FastPaths.class).list()).filteredOn((path) -> path.name().equals(name))
			.singleElement()
			.satisfies((path) -> assertThat(path.state()).isEqualTo(FastPath.State.FELL_BACK));
		assertThat(output.getOut().lines()
			.filter((line) -> line.contains("WARN") && line.contains("fast path '" + name + "' fell back"))).hasSize(1);
		assertThat(findings(context)).singleElement()
			.satisfies((finding) -> assertThat(finding).contains("fast-path-fell-back").contains(name));
	}

	private static List<String> findings(AssertableApplicationContext context) {
		return context.getBean(ProductionReadinessReporter.class)
			.findings()
			.stream()
			.filter((finding) -> finding.id().startsWith("fast-path"))
			.map(Finding::describe)
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class RenamedComposite {

		@Bean
		static NoRemoteFieldsPropagation renamedComposite(ObjectProvider<TracingProperties> properties,
				ObjectProvider<FastPaths> fastPaths) {
			return new NoRemoteFieldsPropagation(properties, fastPaths,
					"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.RenamedTextMapPropagator");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RenamedGroup {

		@Bean
		static SampledSpanMeterHandlers renamedGroup(ObjectProvider<Tracer> tracer,
				ObjectProvider<FastPaths> fastPaths) {
			return new SampledSpanMeterHandlers(tracer, fastPaths,
					"org.springframework.boot.micrometer.tracing.autoconfigure.RenamedObservationHandlerGroup");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RenamedBatchProcessor {

		@Bean
		static NoExporterSpanProcessors renamedBatchProcessor(ObjectProvider<FastPaths> fastPaths) {
			return new NoExporterSpanProcessors(fastPaths, "otelBatchSpanProcessor");
		}

	}

}
