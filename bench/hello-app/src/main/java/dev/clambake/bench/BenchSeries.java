package dev.clambake.bench;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * With {@code bench.series=N}, registers N gauges for the scrape benchmark: 100 names
 * ({@code bench.series.0} ...), each with up to {@code N / 100} values of a {@code key} tag.
 * With {@code bench.distinct-values=N} (bench/cardinality.sh), increments one counter,
 * {@code bench.cardinality}, with N distinct values of a {@code user} tag: the unbounded tag
 * the cardinality guard is for.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
class BenchSeries {

	static final int NAMES = 100;

	@Bean
	@ConditionalOnProperty("bench.distinct-values")
	SmartInitializingSingleton benchDistinctValuesRecorder(MeterRegistry registry, Environment environment) {
		return () -> {
			int values = environment.getRequiredProperty("bench.distinct-values", Integer.class);
			for (int value = 0; value < values; value++) {
				registry.counter("bench.cardinality", "user", "user-" + value).increment();
			}
		};
	}

	@Bean
	@ConditionalOnProperty("bench.series")
	SmartInitializingSingleton benchSeriesRegistrar(MeterRegistry registry, Environment environment) {
		return () -> {
			int series = environment.getRequiredProperty("bench.series", Integer.class);
			int perName = Math.max(1, series / NAMES);
			int registered = 0;
			for (int name = 0; name < NAMES && registered < series; name++) {
				for (int value = 0; value < perName && registered < series; value++) {
					double constant = name * 1000 + value;
					Gauge.builder("bench.series." + name, () -> constant)
						.tag("key", "k" + value)
						.register(registry);
					registered++;
				}
			}
		};
	}

}
