package dev.clambake.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.config.ClambakeConfigAutoConfiguration;
import dev.clambake.config.ClambakeDefaultsEnvironmentPostProcessor;
import dev.clambake.config.ClambakeProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.annotation.Observed;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClambakeMetricsAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClambakeMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClambakeConfigAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				ObservationAutoConfiguration.class, ClambakeMetricsAutoConfiguration.class))
		.withPropertyValues("spring.application.name=orders", "clambake.environment=staging");

	@Test
	void defaultsRegisterTheCapabilityHandlerOperationsAndCommonTags() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(SlowOperationObservationHandler.class)
				.hasSingleBean(Operations.class)
				.hasSingleBean(FeatureFlagMetrics.class);
			assertThat(context.getBeansOfType(ClambakeCapability.class).values())
				.contains(new ClambakeCapability("metrics"));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Counter counter = registry.counter("anything");
			assertThat(counter.getId().getTag("application")).isEqualTo("orders");
			assertThat(counter.getId().getTag("environment")).isEqualTo("staging");
		});
	}

	@Test
	void httpTimersGetSloBucketsAndOtherTimersDoNot() {
		this.runner.withPropertyValues("clambake.metrics.slo=10ms,1s").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Timer server = registry.timer("http.server.requests", "uri", "/x");
			server.record(Duration.ofMillis(5));
			assertThat(server.takeSnapshot().histogramCounts()).extracting(CountAtBucket::bucket)
				.containsExactly(10_000_000.0, 1_000_000_000.0);
			assertThat(registry.timer("http.client.requests").takeSnapshot().histogramCounts()).hasSize(2);
			assertThat(registry.timer("other").takeSnapshot().histogramCounts()).isEmpty();
		});
	}

	@Test
	void springBootSloPropertyWinsOverClambakeSlo() {
		this.runner.withPropertyValues("management.metrics.distribution.slo.http.server.requests=7ms")
			.run((context) -> {
				Timer server = context.getBean(MeterRegistry.class).timer("http.server.requests");
				assertThat(server.takeSnapshot().histogramCounts()).extracting(CountAtBucket::bucket)
					.containsExactly(7_000_000.0);
			});
	}

	@Test
	void environmentTagIsBoundFromTheEnvironmentWithoutTheConfigCapability() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					ObservationAutoConfiguration.class, ClambakeMetricsAutoConfiguration.class))
			.withPropertyValues("clambake.environment=Production")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ClambakeProperties.class);
				Counter counter = context.getBean(MeterRegistry.class).counter("anything");
				assertThat(counter.getId().getTag("environment")).isEqualTo("production");
			});
	}

	@Test
	void springBootTagPropertyWinsOverCommonTags() {
		this.runner.withPropertyValues("management.metrics.tags.environment=blue").run((context) -> {
			Counter counter = context.getBean(MeterRegistry.class).counter("anything");
			assertThat(counter.getId().getTag("environment")).isEqualTo("blue");
		});
	}

	@Test
	void everyMeterHasADescription() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.timer("http.server.requests").getId().getDescription())
				.isEqualTo("Duration of HTTP server requests");
			assertThat(registry.counter("some.thing").getId().getDescription()).isEqualTo("some thing");
		});
	}

	@Test
	void defaultsRecordTimersWithoutLongTaskTimers() {
		this.runner.withInitializer(ClambakeMetricsAutoConfigurationTests::applyClambakeDefaults).run((context) -> {
			observe(context, "invoice.render");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("invoice.render").tag("error", "none").timer().count()).isEqualTo(1);
			assertThat(registry.find("invoice.render.active").meters()).isEmpty();
		});
	}

	@Test
	void anEmptyIgnoredMetersPropertyBringsLongTaskTimersBack() {
		this.runner.withInitializer(ClambakeMetricsAutoConfigurationTests::applyClambakeDefaults)
			.withPropertyValues("management.metrics.observations.ignored-meters=")
			.run((context) -> {
				observe(context, "invoice.render");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("invoice.render").timer().count()).isEqualTo(1);
				assertThat(registry.get("invoice.render.active").longTaskTimer().activeTasks()).isZero();
			});
	}

	private static void applyClambakeDefaults(ConfigurableApplicationContext context) {
		new ClambakeDefaultsEnvironmentPostProcessor().postProcessEnvironment(context.getEnvironment(),
				new SpringApplication());
	}

	private static void observe(ApplicationContext context, String name) {
		Observation.createNotStarted(name, context.getBean(ObservationRegistry.class)).observe(() -> {
		});
	}

	@Test
	void featureFlagsBecomeGauges() {
		this.runner.withPropertyValues("clambake.features.new-checkout=true", "clambake.features.dark-mode=false")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("clambake.feature.enabled").tag("feature", "new-checkout").gauge().value())
					.isEqualTo(1.0);
				assertThat(registry.get("clambake.feature.enabled").tag("feature", "dark-mode").gauge().value())
					.isEqualTo(0.0);
			});
	}

	@Test
	void slowObservationLogsOneWarningCountsItAndPublishesEvents(CapturedOutput output) {
		this.runner.withUserConfiguration(EventRecorder.class)
			.withPropertyValues("clambake.observability.slow-threshold=0ms")
			.run((context) -> {
				ObservationRegistry observations = context.getBean(ObservationRegistry.class);
				Observation.createNotStarted("invoice.render", observations)
					.lowCardinalityKeyValue("kind", "pdf")
					.observe(() -> {
					});
				assertThat(output.getOut().lines().filter((line) -> line.contains("Slow operation")).toList())
					.singleElement()
					.satisfies((line) -> assertThat(line).contains("WARN")
						.contains("clambake.slow-operations")
						.contains("invoice.render")
						.containsPattern("took \\d+ ms")
						.contains("kind=pdf")
						.contains("correlationId=")
						.contains("traceId="));
				assertThat(context.getBean(MeterRegistry.class)
					.get(SlowOperationObservationHandler.COUNTER_NAME)
					.tag("operation", "invoice.render")
					.counter()
					.count()).isEqualTo(1.0);
				List<OperationEvent> events = context.getBean(EventRecorder.class).events;
				assertThat(events).extracting((event) -> event.getClass().getSimpleName())
					.containsExactly("OperationStartedEvent", "OperationCompletedEvent", "SlowOperationEvent");
				assertThat(events).allMatch((event) -> event.getOperation().equals("invoice.render"));
			});
	}

	@Test
	void fastObservationLogsNothingAndPerOperationThresholdsOverrideTheDefault(CapturedOutput output) {
		this.runner
			.withPropertyValues("clambake.observability.slow-threshold=0ms",
					"clambake.observability.slow-thresholds.cache.read=1h")
			.run((context) -> {
				assertThat(context.getBean(ClambakeObservabilityProperties.class).slowThresholdDurations())
					.containsEntry("cache.read", Duration.ofHours(1));
				ObservationRegistry observations = context.getBean(ObservationRegistry.class);
				Observation.createNotStarted("cache.read", observations).observe(() -> {
				});
				assertThat(output).doesNotContain("Slow operation");
				assertThat(context.getBean(MeterRegistry.class).find(SlowOperationObservationHandler.COUNTER_NAME)
					.counters()).isEmpty();
			});
	}

	@Test
	void failedOperationPublishesAFailedEvent() {
		this.runner.withUserConfiguration(EventRecorder.class).run((context) -> {
			Operations operations = context.getBean(Operations.class);
			try {
				operations.run("job", () -> {
					throw new IllegalStateException("boom");
				});
			}
			catch (IllegalStateException ex) {
				// expected
			}
			List<OperationEvent> events = context.getBean(EventRecorder.class).events;
			assertThat(events).last().isInstanceOfSatisfying(OperationFailedEvent.class,
					(failed) -> assertThat(failed.getError()).hasMessage("boom"));
		});
	}

	@Test
	void eventsCanBeSwitchedOff() {
		this.runner.withUserConfiguration(EventRecorder.class)
			.withPropertyValues("clambake.observability.events=false")
			.run((context) -> {
				context.getBean(Operations.class).run("job", () -> {
				});
				assertThat(context.getBean(EventRecorder.class).events).isEmpty();
			});
	}

	@Test
	void operationsTimesABlockOfCode() {
		this.runner.run((context) -> {
			Operations operations = context.getBean(Operations.class);
			assertThat(operations.observe("invoice.render", () -> "pdf")).isEqualTo("pdf");
			operations.run("cache.warm-up", "cache", "products", () -> {
			});
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("invoice.render").timer().count()).isEqualTo(1);
			assertThat(registry.get("cache.warm-up").tag("cache", "products").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void observedMethodsAreTimedWhenAnnotationsAreEnabled() {
		this.runner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withUserConfiguration(ObservedService.class)
			.withPropertyValues("management.observations.annotations.enabled=true")
			.run((context) -> {
				context.getBean(ObservedService.class).work();
				assertThat(context.getBean(MeterRegistry.class).get("report.build").timer().count()).isEqualTo(1);
			});
	}

	@Test
	void disabledRegistersNoBeans() {
		this.runner.withPropertyValues("clambake.metrics.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SlowOperationObservationHandler.class)
				.doesNotHaveBean(Operations.class)
				.doesNotHaveBean(FeatureFlagMetrics.class)
				.doesNotHaveBean("clambakeCommonTagsMeterFilter");
			assertThat(context.getBeansOfType(ClambakeCapability.class).values())
				.doesNotContain(new ClambakeCapability("metrics"));
		});
	}

	@Test
	void withoutMicrometerRegistersNoBeans() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ClambakeConfigAutoConfiguration.class, ClambakeMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
			assertThat(context).doesNotHaveBean(SlowOperationObservationHandler.class)
				.doesNotHaveBean(ClambakeMetricsAutoConfiguration.class);
		});
	}

	@Test
	void withoutTracingTheTraceIdComesFromTheMdc() {
		this.runner.withClassLoader(new FilteredClassLoader(TracingObservationHandler.class)).run((context) -> {
			assertThat(context).hasSingleBean(SlowOperationObservationHandler.class)
				.doesNotHaveBean(TraceIdLookup.class);
		});
	}

	@Test
	void userBeansWin() {
		this.runner.withUserConfiguration(UserOperations.class).run((context) -> {
			assertThat(context).hasSingleBean(Operations.class);
			assertThat(context.getBean(Operations.class)).isSameAs(context.getBean(UserOperations.class).operations);
		});
	}

	@Test
	void negativeSlowThresholdFailsStartup() {
		this.runner.withPropertyValues("clambake.observability.slow-threshold=-1s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("must not be negative");
		});
	}

	@Test
	void badPerOperationThresholdFailsStartup() {
		this.runner.withPropertyValues("clambake.observability.slow-thresholds.cache.read=soon").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("must be a duration");
		});
	}

	@Test
	void zeroSloBoundaryFailsStartup() {
		this.runner.withPropertyValues("clambake.metrics.slo=0ms").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("must be positive");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class EventRecorder implements ApplicationListener<OperationEvent> {

		final List<OperationEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(OperationEvent event) {
			this.events.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserOperations {

		final Operations operations = new Operations(ObservationRegistry.NOOP);

		@Bean
		Operations userOperations() {
			return this.operations;
		}

	}

	static class ObservedService {

		@Observed(name = "report.build")
		public void work() {
		}

	}

}
