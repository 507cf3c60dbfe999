package dev.clambake.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.clambake.correlation.CorrelationIds;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.GenericApplicationListenerAdapter;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * Times every observation and reports the slow ones: one WARN on the
 * {@code clambake.slow-operations} logger with the operation's name, duration, tags,
 * correlation id and trace id, and one increment of
 * {@code clambake_slow_operations_total{operation=...}}. Publishes the operation's lifecycle
 * as {@link OperationEvent}s to the listeners present when the context is refreshed (an
 * event type nobody listens to is not published at all).
 */
public class SlowOperationObservationHandler
		implements ObservationHandler<Observation.Context>, ApplicationListener<ContextRefreshedEvent> {

	/**
	 * The logger slow-operation warnings go to.
	 */
	public static final String LOGGER_NAME = "clambake.slow-operations";

	/**
	 * The counter of slow operations, tagged with {@code operation}.
	 */
	public static final String COUNTER_NAME = "clambake.slow.operations";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);

	private final MeterRegistry meterRegistry;

	private final long defaultThresholdNanos;

	private final Map<String, Long> thresholdNanos;

	private final TraceIdLookup traceIdLookup;

	private final @Nullable ApplicationEventPublisher eventPublisher;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	// Which events have listeners: an event nobody listens to costs a lookup and two
	// allocations on every request, so it is not published (decided once the context is refreshed)
	private volatile boolean publishStarted;

	private volatile boolean publishCompleted;

	private volatile boolean publishFailed;

	private volatile boolean publishSlow;

	/**
	 * Create a handler.
	 * @param meterRegistry where the slow-operation counter is registered
	 * @param properties the thresholds
	 * @param traceIdLookup finds an observation's trace id
	 * @param eventPublisher where lifecycle events go, or {@code null} for none
	 */
	public SlowOperationObservationHandler(MeterRegistry meterRegistry, ClambakeObservabilityProperties properties,
			TraceIdLookup traceIdLookup, @Nullable ApplicationEventPublisher eventPublisher) {
		this.meterRegistry = meterRegistry;
		this.defaultThresholdNanos = properties.getSlowThreshold().toNanos();
		Map<String, Long> thresholds = new LinkedHashMap<>();
		properties.slowThresholdDurations().forEach((name, threshold) -> thresholds.put(name, threshold.toNanos()));
		this.thresholdNanos = Map.copyOf(thresholds);
		this.traceIdLookup = traceIdLookup;
		this.eventPublisher = eventPublisher;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (this.eventPublisher == null
				|| !(event.getApplicationContext() instanceof AbstractApplicationContext context)) {
			return;
		}
		Collection<ApplicationListener<?>> listeners = context.getApplicationListeners();
		this.publishStarted = anyListens(listeners, OperationStartedEvent.class);
		this.publishCompleted = anyListens(listeners, OperationCompletedEvent.class);
		this.publishFailed = anyListens(listeners, OperationFailedEvent.class);
		this.publishSlow = anyListens(listeners, SlowOperationEvent.class);
	}

	private static boolean anyListens(Collection<ApplicationListener<?>> listeners, Class<?> eventType) {
		ResolvableType type = ResolvableType.forClass(eventType);
		for (ApplicationListener<?> listener : listeners) {
			GenericApplicationListener generic = (listener instanceof GenericApplicationListener candidate) ? candidate
					: new GenericApplicationListenerAdapter(listener);
			if (generic.supportsEventType(type)) {
				return true;
			}
		}
		return false;
	}

	// Whether started events are published: they carry the key values known at the start
	boolean publishesStarted() {
		return this.publishStarted && this.eventPublisher != null;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return true;
	}

	@Override
	public void onStart(Observation.Context context) {
		context.put(Start.class, start(context));
	}

	@Override
	public void onStop(Observation.Context context) {
		Start start = context.get(Start.class);
		if (start != null) {
			stop(context, start);
		}
	}

	// What onStart keeps in the context, for a caller that keeps it itself (the direct path of
	// http.server.requests, which then saves a map entry per request)
	Start start(Observation.Context context) {
		Start start = new Start(System.nanoTime(), MDC.get(CorrelationIds.MDC_KEY));
		if (this.publishStarted && this.eventPublisher != null) {
			this.eventPublisher.publishEvent(new OperationStartedEvent(this, context.getName(), tags(context)));
		}
		return start;
	}

	void stop(Observation.Context context, Start start) {
		long nanos = System.nanoTime() - start.nanos;
		String name = context.getName();
		if (this.eventPublisher != null) {
			Throwable error = context.getError();
			if (error != null && this.publishFailed) {
				this.eventPublisher
					.publishEvent(new OperationFailedEvent(this, name, tags(context), Duration.ofNanos(nanos), error));
			}
			else if (error == null && this.publishCompleted) {
				this.eventPublisher
					.publishEvent(new OperationCompletedEvent(this, name, tags(context), Duration.ofNanos(nanos)));
			}
		}
		// Not getOrDefault: boxing the default would allocate on every stop
		Long ownThreshold = this.thresholdNanos.get(name);
		long threshold = (ownThreshold != null) ? ownThreshold : this.defaultThresholdNanos;
		if (nanos > threshold) {
			slow(context, name, nanos, threshold, start);
		}
	}

	private void slow(Observation.Context context, String name, long nanos, long threshold, Start start) {
		Map<String, String> tags = tags(context);
		String correlationId = MDC.get(CorrelationIds.MDC_KEY);
		if (correlationId == null) {
			correlationId = start.correlationId;
		}
		String traceId = this.traceIdLookup.traceId(context);
		long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
		long thresholdMillis = TimeUnit.NANOSECONDS.toMillis(threshold);
		this.counters
			.computeIfAbsent(name,
					(operation) -> Counter.builder(COUNTER_NAME)
						.description("Operations slower than their slow threshold")
						.tag("operation", operation)
						.register(this.meterRegistry))
			.increment();
		LoggingEventBuilder event = logger.atWarn()
			.addKeyValue("operation", name)
			.addKeyValue("durationMs", millis)
			.addKeyValue("thresholdMs", thresholdMillis)
			.addKeyValue("tags", tags);
		// Ids already in the MDC are written by the structured log format; a second pair of the
		// same name would make the JSON encoder drop the whole line
		if (correlationId != null && MDC.get(CorrelationIds.MDC_KEY) == null) {
			event = event.addKeyValue(CorrelationIds.MDC_KEY, correlationId);
		}
		if (traceId != null && MDC.get("traceId") == null) {
			event = event.addKeyValue("traceId", traceId);
		}
		event.log("Slow operation {} took {} ms (threshold {} ms) tags={} correlationId={} traceId={}", name, millis,
					thresholdMillis, tags, orDash(correlationId), orDash(traceId));
		if (this.publishSlow && this.eventPublisher != null) {
			this.eventPublisher.publishEvent(new SlowOperationEvent(this, name, tags, Duration.ofNanos(nanos),
					Duration.ofNanos(threshold), traceId));
		}
	}

	private static String orDash(@Nullable String value) {
		return (value != null) ? value : "-";
	}

	private static Map<String, String> tags(Observation.Context context) {
		Map<String, String> tags = new LinkedHashMap<>();
		for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
			tags.put(keyValue.getKey(), keyValue.getValue());
		}
		return Collections.unmodifiableMap(tags);
	}

	/**
	 * When an operation started, and the correlation id in the MDC then.
	 */
	record Start(long nanos, @Nullable String correlationId) {

	}

}
