package dev.clambake.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.clambake.config.FastPaths;
import dev.clambake.tracing.RecordingSpanTagging;
import dev.clambake.tracing.SampledSpanMeterObservationHandler;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Spring's {@link ServerHttpObservationFilter} that, when the observation's handlers are the
 * ones Spring Boot and Clambake register, drives them without building an {@code Observation}
 * per request. The timer is the meter handler's ({@code http.server.requests}, the
 * convention's tags and {@code error}), looked up once per distinct set of tags instead of
 * rebuilt from the key values on every request; the convention's key values are computed once,
 * at the end, instead of at the start and again at the end. Spans, scopes, MDC ids and
 * slow-operation reports come from the same handlers as on Spring's path, called directly;
 * observation predicates and filters apply as they do there; Spring MVC finds the request's
 * context under {@link #CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE} as usual.
 * <p>
 * Any other handler for the request's context (the application's own, or long-task timers)
 * sends requests through Spring's path; the decision is made again when a handler or a filter
 * is registered after start-up. Micrometer's handlers, filters and predicates are read through
 * {@link ObservationConfigAccess}; when that is not possible every request takes Spring's path,
 * and the fast path says so once. What differs on the direct path: there is no current
 * {@code Observation} during the request ({@link ObservationRegistry#getCurrentObservation()}
 * is {@code null}; child observations find their parent span through the tracer), which is why
 * the path is taken only when chosen ({@code clambake.observability.direct-server-requests}).
 */
public class DirectServerHttpObservationFilter extends ServerHttpObservationFilter {

	static final String NAME = "direct-server-requests";

	static final String PROPERTY = "clambake.observability.direct-server-requests";

	private static final String DETAIL = "Micrometer's package-private ObservationConfig#getObservationHandlers,"
			+ " #getObservationFilters and #isObservationEnabled, and the order of Observation#stop";

	private static final Log logger = LogFactory.getLog(DirectServerHttpObservationFilter.class);

	// Reached only through a meter handler: the map stays bounded even if a convention is not
	private static final int MAX_CACHED_TIMERS = 1024;

	private final ObservationRegistry registry;

	private final ServerRequestObservationConvention convention;

	private final MeterRegistry meterRegistry;

	private final Clock clock;

	private final boolean longTaskTimers;

	private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

	private final FastPaths fastPaths;

	private final @Nullable ObservationConfigAccess configAccess;

	// Decided on the first request, once the registry's handlers are all registered, and again
	// whenever a handler or a filter is registered later
	private volatile @Nullable Plan plan;

	/**
	 * Create a filter.
	 * @param registry the observation registry
	 * @param convention the convention for the request's name, key values and span name
	 * @param meterRegistry where the timer is registered
	 * @param longTaskTimers whether the meter handler starts a long-task timer per observation
	 * (then every request takes Spring's path)
	 */
	public DirectServerHttpObservationFilter(ObservationRegistry registry, ServerRequestObservationConvention convention,
			MeterRegistry meterRegistry, boolean longTaskTimers, FastPaths fastPaths) {
		this(registry, convention, meterRegistry, longTaskTimers, fastPaths, ObservationConfigAccess.DETAILS);
	}

	DirectServerHttpObservationFilter(ObservationRegistry registry, ServerRequestObservationConvention convention,
			MeterRegistry meterRegistry, boolean longTaskTimers, FastPaths fastPaths,
			ObservationConfigAccess.Details details) {
		super(registry, convention);
		this.registry = registry;
		this.convention = convention;
		this.meterRegistry = meterRegistry;
		this.clock = meterRegistry.config().clock();
		this.longTaskTimers = longTaskTimers;
		this.fastPaths = fastPaths;
		this.configAccess = ObservationConfigAccess.of(details, fastPaths);
		if (this.configAccess != null) {
			fastPaths.active(NAME, PROPERTY, DETAIL);
		}
		meterRegistry.config().onMeterRemoved((meter) -> this.timers.clear());
	}

	/**
	 * Whether requests take the direct path; decided on the first request.
	 * @return {@code true} once the first request took the direct path
	 */
	public boolean isDirect() {
		Plan plan = this.plan;
		return plan != null && plan.direct();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Object current = request.getAttribute(CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE);
		DirectContext context;
		if (current instanceof DirectContext direct) {
			context = direct;
		}
		else if (current != null) {
			// Started on Spring's path (an async dispatch of a request from before the decision)
			super.doFilterInternal(request, response, chain);
			return;
		}
		else {
			context = new DirectContext(request, response);
			context.setName(this.convention.getName());
			Plan plan = plan(context);
			if (!plan.direct()) {
				super.doFilterInternal(request, response, chain);
				return;
			}
			if (!plan.enabled(this.registry, context)) {
				chain.doFilter(request, response);
				return;
			}
			start(plan, context);
			request.setAttribute(CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE, context);
		}
		context.openScope();
		try {
			chain.doFilter(request, response);
		}
		catch (Exception ex) {
			context.error(unwrap(ex));
			response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
			throw ex;
		}
		finally {
			try {
				if (request.isAsyncStarted()) {
					request.getAsyncContext().addListener(new StopOnComplete(context));
				}
				else if (!isAsyncDispatch(request)) {
					Throwable error = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
					if (error != null) {
						context.error(error);
					}
					stop(context);
				}
			}
			finally {
				context.closeScope();
				context.endSpanIfStopped();
			}
		}
	}

	private void start(Plan plan, DirectContext context) {
		context.plan = plan;
		context.startNanos = this.clock.monotonicTime();
		SlowOperationObservationHandler slow = plan.slow();
		if (slow != null) {
			if (slow.publishesStarted()) {
				context.addLowCardinalityKeyValues(this.convention.getLowCardinalityKeyValues(context));
			}
			context.slowStart = slow.start(context);
		}
		if (plan.tracing() != null) {
			// The span's name until the end, as Observation#start sets it
			nameContext(context);
			plan.tracing().onStart(context);
		}
	}

	// The order of Observation#stop: key values, contextual name and filters, then the handlers
	// (meters, slow-operation report; the span ends once its scope is closed)
	private void stop(DirectContext context) {
		context.addConventionKeyValues(this.convention.getLowCardinalityKeyValues(context));
		context.addHighCardinalityKeyValues(this.convention.getHighCardinalityKeyValues(context));
		nameContext(context);
		Observation.Context stopped = context;
		for (ObservationFilter filter : context.plan.filters()) {
			stopped = filter.map(stopped);
		}
		context.stopped = stopped;
		if (context.plan.meters()) {
			KeyValues keyValues = (stopped == context) ? context.timerKeyValues() : stopped.getLowCardinalityKeyValues();
			timer(stopped, keyValues).record(this.clock.monotonicTime() - context.startNanos, TimeUnit.NANOSECONDS);
		}
		SlowOperationObservationHandler slow = context.plan.slow();
		if (slow != null && context.slowStart != null) {
			slow.stop(stopped, context.slowStart);
		}
	}

	private void nameContext(ServerRequestObservationContext context) {
		String contextualName = this.convention.getContextualName(context);
		if (contextualName != null && !contextualName.isBlank()) {
			context.setContextualName(contextualName);
		}
	}

	private Timer timer(Observation.Context context, KeyValues keyValues) {
		Throwable error = context.getError();
		TimerKey key = new TimerKey(context.getName(), keyValues,
				(error != null) ? error.getClass().getSimpleName() : "none");
		Timer timer = this.timers.get(key);
		if (timer != null) {
			return timer;
		}
		// The meter handler's timer: the low-cardinality key values and the error as tags
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : key.keyValues()) {
			tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		tags.add(Tag.of("error", key.error()));
		timer = this.meterRegistry.timer(key.name(), tags);
		if (this.timers.size() < MAX_CACHED_TIMERS) {
			this.timers.put(key, timer);
		}
		return timer;
	}

	private Plan plan(ServerRequestObservationContext context) {
		Plan plan = this.plan;
		if (plan == null || plan.stale()) {
			plan = Plan.of(this.registry, context, this.longTaskTimers, this.configAccess);
			this.plan = plan;
			if (plan.direct()) {
				this.fastPaths.active(NAME, PROPERTY, DETAIL);
			}
			else if (this.configAccess != null) {
				this.fastPaths.steppedAside(NAME, PROPERTY, "http.server.requests takes Spring's path: "
						+ plan.reason() + ".");
			}
			if (logger.isDebugEnabled()) {
				String path = plan.direct() ? "the direct path" : "Spring's path: " + plan.reason();
				logger.debug("http.server.requests takes " + path);
			}
		}
		return plan;
	}


	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof ServletException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	private record TimerKey(String name, KeyValues keyValues, String error) {

	}

	/**
	 * Which handlers a request's context gets, found once: the tracing handler, the meter
	 * handler and the slow-operation handler, each optional; anything else means Spring's path.
	 */
	private record Plan(boolean direct, String reason, @Nullable ObservationHandler<Observation.Context> tracing,
			boolean meters, @Nullable SlowOperationObservationHandler slow, List<ObservationFilter> filters,
			@Nullable ObservationConfigAccess access, @Nullable Collection<?> liveHandlers, int handlerCount,
			@Nullable Collection<?> liveFilters, int filterCount) {

		static final Plan NOT_STARTED = spring("not started");

		static Plan spring(String reason) {
			return new Plan(false, reason, null, false, null, List.of(), null, null, 0, null, 0);
		}

		static Plan spring(String reason, Collection<?> handlers, Collection<?> filters) {
			return new Plan(false, reason, null, false, null, List.of(), null, handlers, handlers.size(), filters,
					filters.size());
		}

		// Micrometer only ever adds handlers and filters: a count that moved means a new one
		boolean stale() {
			return (this.liveHandlers != null && this.liveHandlers.size() != this.handlerCount)
					|| (this.liveFilters != null && this.liveFilters.size() != this.filterCount);
		}

		boolean enabled(ObservationRegistry registry, Observation.Context context) {
			return this.access.isObservationEnabled(registry.observationConfig(), context);
		}

		@SuppressWarnings("unchecked")
		static Plan of(ObservationRegistry registry, ServerRequestObservationContext context, boolean longTaskTimers,
				@Nullable ObservationConfigAccess access) {
			if (registry.isNoop()) {
				return spring("the observation registry is a no-op");
			}
			if (longTaskTimers) {
				return spring("long-task timers are on (management.metrics.observations.ignored-meters)");
			}
			if (access == null) {
				return spring("Micrometer's observation configuration cannot be read");
			}
			ObservationRegistry.ObservationConfig config = registry.observationConfig();
			Collection<ObservationHandler<?>> handlers = access.handlers(config);
			Collection<ObservationFilter> filters = access.filters(config);
			List<ObservationHandler<?>> effective = new ArrayList<>();
			for (ObservationHandler<?> handler : handlers) {
				collect((ObservationHandler<Observation.Context>) handler, context, effective);
			}
			ObservationHandler<Observation.Context> tracing = null;
			Class<?> meterHandler = null;
			SlowOperationObservationHandler slow = null;
			for (ObservationHandler<?> handler : effective) {
				if (handler.getClass() == RecordingSpanTagging.ReceiverHandler.class && tracing == null) {
					tracing = (ObservationHandler<Observation.Context>) handler;
				}
				else if (meterHandler == null && (handler.getClass() == DefaultMeterObservationHandler.class
						|| (handler instanceof SampledSpanMeterObservationHandler<?> sampled
								&& sampled.getDelegate().getClass() == DefaultMeterObservationHandler.class))) {
					meterHandler = handler.getClass();
				}
				else if (handler.getClass() == SlowOperationObservationHandler.class && slow == null) {
					slow = (SlowOperationObservationHandler) handler;
				}
				else {
					return spring("another observation handler handles it: " + handler.getClass().getName(), handlers,
							filters);
				}
			}
			// The timer is recorded while the span is in scope, which only the sampled-span wrapper does
			if (tracing != null && meterHandler == DefaultMeterObservationHandler.class) {
				return spring("its meter handler records outside the span's scope", handlers, filters);
			}
			return new Plan(true, "", tracing, meterHandler != null, slow, List.copyOf(filters), access, handlers,
					handlers.size(), filters, filters.size());
		}

		// The handlers that would run for the context: composites contribute their first
		// matching member, or every matching member
		@SuppressWarnings("unchecked")
		private static void collect(ObservationHandler<Observation.Context> handler, Observation.Context context,
				List<ObservationHandler<?>> effective) {
			if (!handler.supportsContext(context)) {
				return;
			}
			if (handler instanceof ObservationHandler.FirstMatchingCompositeObservationHandler composite) {
				for (ObservationHandler<Observation.Context> member : composite.getHandlers()) {
					if (member.supportsContext(context)) {
						collect(member, context, effective);
						return;
					}
				}
			}
			else if (handler instanceof ObservationHandler.AllMatchingCompositeObservationHandler composite) {
				for (ObservationHandler<Observation.Context> member : composite.getHandlers()) {
					collect(member, context, effective);
				}
			}
			else {
				effective.add(handler);
			}
		}

	}

	/**
	 * One request on the direct path: its context, with its plan, when it started, and whether
	 * its low-cardinality key values are still exactly the convention's (then the timer's tags
	 * are the convention's key values as they are, not the context's read back and sorted again).
	 */
	private static final class DirectContext extends ServerRequestObservationContext {

		private Plan plan = Plan.NOT_STARTED;

		private long startNanos;

		private SlowOperationObservationHandler.@Nullable Start slowStart;

		private @Nullable KeyValues conventionKeyValues;

		private boolean otherKeyValues;

		private volatile Observation.@Nullable Context stopped;

		private boolean spanEnded;

		DirectContext(HttpServletRequest request, HttpServletResponse response) {
			super(request, response);
		}

		void addConventionKeyValues(KeyValues keyValues) {
			for (KeyValue keyValue : keyValues) {
				super.addLowCardinalityKeyValue(keyValue);
			}
			this.conventionKeyValues = keyValues;
		}

		KeyValues timerKeyValues() {
			KeyValues keyValues = this.conventionKeyValues;
			return (keyValues != null && !this.otherKeyValues) ? keyValues : getLowCardinalityKeyValues();
		}

		// Whatever else changes the low-cardinality key values (the application during the
		// request, a filter, the started event) makes the timer read them back

		@Override
		public Observation.Context addLowCardinalityKeyValue(KeyValue keyValue) {
			this.otherKeyValues = true;
			return super.addLowCardinalityKeyValue(keyValue);
		}

		@Override
		public Observation.Context addLowCardinalityKeyValues(KeyValues keyValues) {
			this.otherKeyValues = true;
			return super.addLowCardinalityKeyValues(keyValues);
		}

		@Override
		public Observation.Context removeLowCardinalityKeyValue(String keyName) {
			this.otherKeyValues = true;
			return super.removeLowCardinalityKeyValue(keyName);
		}

		@Override
		public Observation.Context removeLowCardinalityKeyValues(String... keyNames) {
			this.otherKeyValues = true;
			return super.removeLowCardinalityKeyValues(keyNames);
		}

		void openScope() {
			if (this.plan.tracing() != null) {
				this.plan.tracing().onScopeOpened(this);
			}
		}

		void closeScope() {
			if (this.plan.tracing() != null) {
				this.plan.tracing().onScopeClosed(this);
			}
		}

		void error(Throwable error) {
			setError(error);
			if (this.plan.tracing() != null) {
				this.plan.tracing().onError(this);
			}
		}

		// The tracing handler ends the span when the observation stops: after the scope is closed
		synchronized void endSpanIfStopped() {
			Observation.Context stopped = this.stopped;
			if (stopped != null && !this.spanEnded && this.plan.tracing() != null) {
				this.spanEnded = true;
				this.plan.tracing().onStop(stopped);
			}
		}

	}

	/**
	 * Stops an asynchronous request's observation when the request completes, as Spring's filter
	 * does.
	 */
	private final class StopOnComplete implements AsyncListener {

		private final DirectContext context;

		StopOnComplete(DirectContext context) {
			this.context = context;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			if (this.context.stopped == null) {
				this.context.openScope();
				try {
					stop(this.context);
				}
				finally {
					this.context.closeScope();
					this.context.endSpanIfStopped();
				}
			}
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
			Throwable error = event.getThrowable();
			if (error != null) {
				this.context.error(unwrap(error));
			}
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
