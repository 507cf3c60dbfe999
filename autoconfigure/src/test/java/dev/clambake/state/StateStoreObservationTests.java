package dev.clambake.state;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.clambake.metrics.ClambakeMetricsAutoConfiguration;
import dev.clambake.shutdown.ClambakeShutdownAutoConfiguration;
import dev.clambake.shutdown.InFlightWork;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state store traced, in a context with Spring Boot's observation, metrics and
 * OpenTelemetry tracing and a real SQLite file: each operation is a span and a timer named
 * {@code clambake.state.operation}, a slow one logs Clambake's slow-operation WARN, the
 * existing series stay, tracked work has an in-flight gauge by name, and the records per
 * namespace are a gauge counted at an interval.
 */
@ExtendWith(OutputCaptureExtension.class)
class StateStoreObservationTests {

	@TempDir
	Path directory;

	private final List<String> spans = new CopyOnWriteArrayList<>();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(
					org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration.class,
					org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class,
					org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration.class,
					org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration.class,
					org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration.class,
					org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration.class,
					org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration.class,
					ClambakeMetricsAutoConfiguration.class, ClambakeShutdownAutoConfiguration.class,
					ClambakeStateAutoConfiguration.class))
			.withBean(SpanProcessor.class, () -> new SpanProcessor() {

				@Override
				public void onStart(Context parentContext, ReadWriteSpan span) {
				}

				@Override
				public boolean isStartRequired() {
					return false;
				}

				@Override
				public void onEnd(ReadableSpan span) {
					StateStoreObservationTests.this.spans.add(span.getName() + " "
							+ span.getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("outcome")));
				}

				@Override
				public boolean isEndRequired() {
					return true;
				}

			})
			.withPropertyValues("management.tracing.sampling.probability=1.0", "clambake.state.enabled=true",
					"clambake.state.url=jdbc:sqlite:" + this.directory.resolve("state.db"));
	}

	@Test
	void eachOperationIsASpanAndATimerAndTheExistingSeriesStay() {
		runner().run((context) -> {
			StateStore store = context.getBean(StateStore.class);
			store.create("tasks", "a", "{}");
			assertThat(store.get("tasks", "missing")).isEmpty();
			assertThat(this.spans).contains("state create success", "state get not_found");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get(StateStoreObservation.NAME)
				.tags("operation", "create", "outcome", "success")
				.timer()
				.count()).isOne();
			assertThat(meters.get(StateStoreMetrics.DURATION)
				.tags("operation", "create", "outcome", "success")
				.timer()
				.count()).isOne();
			assertThat(meters.get(StateStoreMetrics.OPERATIONS)
				.tags("operation", "get", "outcome", "not_found")
				.counter()
				.count()).isOne();
		});
	}

	@Test
	void anOperationPastItsThresholdLogsTheSlowOperationWarning(CapturedOutput output) {
		runner().withPropertyValues("clambake.observability.slow-thresholds.clambake.state.operation=1ns")
			.run((context) -> {
				context.getBean(StateStore.class).create("tasks", "slow", "{}");
				assertThat(output).contains("Slow operation clambake.state.operation took")
					.containsPattern("operation=create");
			});
	}

	@Test
	void trackedWorkHasAnInFlightGaugeByName() {
		runner().run((context) -> {
			InFlightWork work = context.getBean(InFlightWork.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			try (InFlightWork.Work first = work.begin("nightly-export");
					InFlightWork.Work second = work.begin("nightly-export")) {
				assertThat(meters.get("clambake.shutdown.in.flight.work").tag("name", "nightly-export").gauge().value())
					.isEqualTo(2);
			}
			assertThat(meters.get("clambake.shutdown.in.flight.work").tag("name", "nightly-export").gauge().value())
				.isZero();
		});
	}

	@Test
	void recordsPerNamespaceAreAGaugeCountedAtAnIntervalNotPerScrape() {
		runner().withPropertyValues("clambake.state.documents.interval=100ms").run((context) -> {
			StateStore store = context.getBean(StateStore.class);
			store.create("tasks", "a", "{}");
			store.create("tasks", "b", "{}");
			store.create("runs", "r", "{}");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(meters.find(StateDocumentsGauge.NAME).tag("namespace", "tasks").gauge()).isNotNull();
				assertThat(meters.get(StateDocumentsGauge.NAME).tag("namespace", "tasks").gauge().value()).isEqualTo(2);
				assertThat(meters.get(StateDocumentsGauge.NAME).tag("namespace", "runs").gauge().value()).isEqualTo(1);
			});
			double countsBefore = meters.get(StateStoreMetrics.OPERATIONS)
				.tags("operation", "count", "outcome", "success")
				.counter()
				.count();
			// A scrape reads the last count: reading the gauge runs no query
			for (int i = 0; i < 50; i++) {
				meters.get(StateDocumentsGauge.NAME).tag("namespace", "tasks").gauge().value();
			}
			assertThat(meters.get(StateStoreMetrics.OPERATIONS)
				.tags("operation", "count", "outcome", "success")
				.counter()
				.count()).isLessThan(countsBefore + 5);
			store.delete("runs", "r", 1);
			Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
					meters.get(StateDocumentsGauge.NAME).tag("namespace", "runs").gauge().value()).isZero());
		});
	}

	@Test
	void theDocumentsGaugeIsGoneWhenSwitchedOff() {
		runner().withPropertyValues("clambake.state.documents.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(StateDocumentsGauge.class);
			assertThat(Thread.getAllStackTraces().keySet())
				.noneMatch((thread) -> thread.getName().equals("clambake-state-documents"));
		});
	}

}
