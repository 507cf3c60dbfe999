package dev.clambake.metrics;

import java.util.Arrays;
import java.util.List;

import dev.clambake.report.ClambakeReportAutoConfiguration;
import dev.clambake.report.Finding;
import dev.clambake.report.ProductionReadinessReporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cardinality guard in front of a real Prometheus registry, read through its scrape: 10,000
 * distinct values of one tag leave the meter at its cap plus one overflow series, counted,
 * with one WARN naming the tag and a finding in the report; tags with values seen before keep
 * them; a per-meter override and the switch work; meters under their cap are untouched.
 */
@ExtendWith(OutputCaptureExtension.class)
class CardinalityGuardTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
				ClambakeMetricsAutoConfiguration.class, ClambakeReportAutoConfiguration.class))
		.withPropertyValues("spring.application.name=orders");

	@Test
	void tenThousandDistinctValuesStayAtTheCapPlusAnOverflowSeries(CapturedOutput output) {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (int i = 0; i < 10_000; i++) {
				registry.counter("orders.placed", "user", "user-" + i, "outcome", (i % 2 == 0) ? "ok" : "failed")
					.increment();
			}
			List<String> series = series(context.getBean(PrometheusMeterRegistry.class).scrape(), "orders_placed_total{");
			assertThat(series).hasSize(1_000 + 2);
			assertThat(series.stream().filter((line) -> line.contains("user=\"OVERFLOW\"")))
				.hasSize(2)
				.allSatisfy((line) -> assertThat(line).contains("application=\"orders\""))
				.anySatisfy((line) -> assertThat(line).contains("outcome=\"ok\"").endsWith(" 4500.0"))
				.anySatisfy((line) -> assertThat(line).contains("outcome=\"failed\"").endsWith(" 4500.0"));
			assertThat(registry.get(CardinalityGuard.OVERFLOW_COUNTER)
				.tags("meter", "orders.placed", "tag", "user")
				.functionCounter()
				.count()).isEqualTo(9_000);
			assertThat(output.toString().split("Meter 'orders.placed' reached its cap of 1000 series", -1))
				.hasSize(2);
			assertThat(output).contains("further values of tag 'user' are recorded as 'OVERFLOW'");
			List<Finding> findings = context.getBean(ProductionReadinessReporter.class).findings();
			assertThat(findings).filteredOn((finding) -> finding.id().equals("metric-cardinality-overflow"))
				.singleElement()
				.satisfies((finding) -> assertThat(finding.explanation()).contains("'orders.placed'")
					.contains("tag 'user'"));
		});
	}

	@Test
	void aPerMeterOverrideRaisesOrLowersOneMetersCap() {
		this.runner
			.withPropertyValues("clambake.metrics.cardinality.max-series-by-meter.orders.placed=10",
					"clambake.metrics.cardinality.max-series=5000")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (int i = 0; i < 2_000; i++) {
					registry.counter("orders.placed", "user", "user-" + i).increment();
					registry.counter("orders.viewed", "user", "user-" + i).increment();
				}
				String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
				assertThat(series(scrape, "orders_placed_total{")).hasSize(11);
				assertThat(series(scrape, "orders_viewed_total{")).hasSize(2_000);
			});
	}

	@Test
	void theTagWithTheNewValueIsTheCulpritNotACommonTagThatTies(CapturedOutput output) {
		this.runner.withPropertyValues("clambake.metrics.cardinality.max-series-by-meter.tasks.done=1").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			registry.counter("tasks.done", "operation", "create").increment();
			registry.counter("tasks.done", "operation", "get").increment();
			assertThat(series(context.getBean(PrometheusMeterRegistry.class).scrape(), "tasks_done_total{"))
				.containsExactlyInAnyOrder("tasks_done_total{application=\"orders\",environment=\"development\",operation=\"create\"} 1.0",
						"tasks_done_total{application=\"orders\",environment=\"development\",operation=\"OVERFLOW\"} 1.0");
			assertThat(output).contains("further values of tag 'operation'");
		});
	}

	@Test
	void metersUnderTheirCapAreUntouchedAndNothingIsReported() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (int i = 0; i < 1_000; i++) {
				registry.counter("orders.placed", "user", "user-" + i).increment();
			}
			assertThat(series(context.getBean(PrometheusMeterRegistry.class).scrape(), "orders_placed_total{"))
				.hasSize(1_000)
				.noneMatch((line) -> line.contains("OVERFLOW"));
			assertThat(context.getBean(CardinalityGuard.class).overflowed()).isEmpty();
			assertThat(context.getBean(ProductionReadinessReporter.class).findings())
				.noneMatch((finding) -> finding.id().equals("metric-cardinality-overflow"));
		});
	}

	@Test
	void whenSwitchedOffEveryValueGetsItsSeries() {
		this.runner.withPropertyValues("clambake.metrics.cardinality.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(CardinalityGuard.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (int i = 0; i < 1_500; i++) {
				registry.counter("orders.placed", "user", "user-" + i).increment();
			}
			assertThat(series(context.getBean(PrometheusMeterRegistry.class).scrape(), "orders_placed_total{"))
				.hasSize(1_500);
		});
	}

	@Test
	void anInvalidCapStopsStartUp() {
		this.runner.withPropertyValues("clambake.metrics.cardinality.max-series=0")
			.run((context) -> assertThat(context).hasFailed());
	}

	private static List<String> series(String scrape, String prefix) {
		return Arrays.stream(scrape.split("\n")).filter((line) -> line.startsWith(prefix)).toList();
	}

}
