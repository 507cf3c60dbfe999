package dev.clambake.logging;

import java.util.function.Consumer;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounterBuilder;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.LongUpDownCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.context.Context;

/**
 * The {@link MeterProvider} Clambake gives the OTLP log batch processor: it hears only the
 * processor's own count of processed records ({@code processedLogs}, or
 * {@code otel.sdk.processor.log.processed} in the semantic-convention version) and passes on
 * those it dropped because its queue was full; every other instrument is a no-op.
 */
final class DroppedLogRecordsMeterProvider implements MeterProvider {

	private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

	private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	private final Meter noop = MeterProvider.noop().get("clambake");

	private final Meter meter;

	DroppedLogRecordsMeterProvider(Consumer<Long> dropped) {
		this.meter = new CountingMeter(this.noop, dropped);
	}

	@Override
	public MeterBuilder meterBuilder(String instrumentationScopeName) {
		Meter built = this.meter;
		return new MeterBuilder() {

			@Override
			public MeterBuilder setSchemaUrl(String schemaUrl) {
				return this;
			}

			@Override
			public MeterBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
				return this;
			}

			@Override
			public Meter build() {
				return built;
			}

		};
	}

	@Override
	public Meter get(String instrumentationScopeName) {
		return this.meter;
	}

	private record CountingMeter(Meter noop, Consumer<Long> dropped) implements Meter {

		@Override
		public LongCounterBuilder counterBuilder(String name) {
			if (name.equals("processedLogs") || name.equals("otel.sdk.processor.log.processed")) {
				return new CountingBuilder(this.noop.counterBuilder(name), this.dropped);
			}
			return this.noop.counterBuilder(name);
		}

		@Override
		public LongUpDownCounterBuilder upDownCounterBuilder(String name) {
			return this.noop.upDownCounterBuilder(name);
		}

		@Override
		public DoubleHistogramBuilder histogramBuilder(String name) {
			return this.noop.histogramBuilder(name);
		}

		@Override
		public DoubleGaugeBuilder gaugeBuilder(String name) {
			return this.noop.gaugeBuilder(name);
		}

	}

	private record CountingBuilder(LongCounterBuilder noop, Consumer<Long> dropped) implements LongCounterBuilder {

		@Override
		public LongCounterBuilder setDescription(String description) {
			return this;
		}

		@Override
		public LongCounterBuilder setUnit(String unit) {
			return this;
		}

		@Override
		public DoubleCounterBuilder ofDoubles() {
			return this.noop.ofDoubles();
		}

		@Override
		public LongCounter build() {
			Consumer<Long> sink = this.dropped;
			return new LongCounter() {

				@Override
				public void add(long value) {
				}

				@Override
				public void add(long value, Attributes attributes) {
					if (Boolean.TRUE.equals(attributes.get(DROPPED)) || attributes.get(ERROR_TYPE) != null) {
						sink.accept(value);
					}
				}

				@Override
				public void add(long value, Attributes attributes, Context context) {
					add(value, attributes);
				}

			};
		}

		@Override
		public ObservableLongCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
			return this.noop.buildWithCallback(callback);
		}

	}

}
