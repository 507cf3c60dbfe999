package dev.clambake.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import dev.clambake.config.FastPath;
import dev.clambake.config.FastPaths;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationRegistryCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.ServerHttpObservationFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code http.server.requests} on the direct path gives what Spring's path gives: the same
 * series, the same spans, the same slow-operation reports; and anything the direct path cannot
 * reproduce sends requests down Spring's path. Real servers on loopback, real scrapes.
 */
@ExtendWith(OutputCaptureExtension.class)
class DirectServerHttpObservationFilterTests {

	private static final List<String> PATHS = List.of("/api/hello", "/api/items/1", "/api/items/2", "/api/fail",
			"/api/async", "/api/tagged", "/api/skipped", "/api/missing");

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					WebMvcObservationAutoConfiguration.class, ClambakeMetricsAutoConfiguration.class));

	@AfterEach
	void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void replacesSpringBootsFilterRegistrationOnlyWhenChosenAndNotAlreadyRegistered() {
		this.runner.run((context) -> assertThat(context.getBeansOfType(FilterRegistrationBean.class).values())
			.singleElement()
			.extracting(FilterRegistrationBean::getFilter)
			.isExactlyInstanceOf(ServerHttpObservationFilter.class));
		WebApplicationContextRunner direct = this.runner
			.withPropertyValues("clambake.observability.direct-server-requests=true");
		direct.run((context) -> assertThat(context.getBeansOfType(FilterRegistrationBean.class).values())
			.singleElement()
			.extracting(FilterRegistrationBean::getFilter)
			.isInstanceOf(DirectServerHttpObservationFilter.class));
		direct.withUserConfiguration(OwnFilterConfiguration.class)
			.run((context) -> assertThat(context.getBeansOfType(FilterRegistrationBean.class)).containsOnlyKeys("ownFilter"));
		direct.withClassLoader(new FilteredClassLoader(TracingObservationHandler.class))
			.run((context) -> assertThat(context.getBeansOfType(FilterRegistrationBean.class).values()).singleElement()
				.extracting(FilterRegistrationBean::getFilter)
				.isExactlyInstanceOf(ServerHttpObservationFilter.class));
	}

	@Test
	void directPathRecordsTheSameSeriesAndSpansAsSpringsPath() throws Exception {
		ConfigurableApplicationContext direct = run();
		ConfigurableApplicationContext spring = run("clambake.observability.direct-server-requests=false");
		for (ConfigurableApplicationContext context : List.of(direct, spring)) {
			for (String path : PATHS) {
				get(context, path, Map.of());
			}
			get(context, "/api/hello", Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
			awaitSpans(context, PATHS.size());
		}
		assertThat(isDirect(direct)).isTrue();
		assertThat(filter(spring)).isNotInstanceOf(DirectServerHttpObservationFilter.class);
		assertThat(series(direct)).isEqualTo(series(spring))
			.anyMatch((line) -> line.contains("uri=\"/api/items/{id}\"") && line.endsWith(" 1"))
			.anyMatch((line) -> line.contains("uri=\"/api/items/two\"") && line.endsWith(" 1"))
			.anyMatch((line) -> line.contains("exception=\"IllegalStateException\"") && line.contains("status=\"500\""))
			.anyMatch((line) -> line.contains("uri=\"/api/async\"") && line.contains("status=\"200\""))
			.anyMatch((line) -> line.contains("uri=\"/api/hello\"") && line.endsWith(" 2"))
			.noneMatch((line) -> line.contains("/api/skipped"));
		assertThat(spans(direct)).isEqualTo(spans(spring));
		assertThat(spans(direct)).anyMatch((span) -> span.startsWith("http get /api/hello SERVER parent=b7ad6b7169203331"))
			.anyMatch((span) -> span.startsWith("http get /api/fail SERVER parent=- status=ERROR"))
			.anyMatch((span) -> span.startsWith("http get /api/tagged") && span.contains("checked=yes"));
	}

	@Test
	void idsAreInTheMdcDuringTheRequestAndSlowRequestsAreReportedOnce(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = run("clambake.observability.slow-thresholds.http.server.requests=250ms",
				"management.tracing.sampling.probability=0");
		assertThat(get(context, "/api/mdc", Map.of()).body()).matches("[0-9a-f]{32} [0-9a-f]{16}");
		get(context, "/api/slow", Map.of());
		assertThat(isDirect(context)).isTrue();
		// The request's observation stops after the client has the response
		await(() -> output.getOut().contains("uri=/api/slow"));
		List<String> warnings = output.getOut().lines().filter((line) -> line.contains("Slow operation")).toList();
		assertThat(warnings).filteredOn((line) -> line.contains("uri=/api/slow"))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains("http.server.requests")
				.containsPattern("traceId=[0-9a-f]{32}")
				.containsPattern("correlationId=[0-9a-f]{32}"));
		assertThat(scrape(context)).contains(
				"clambake_slow_operations_total{application=\"direct-test\",environment=\"development\",operation=\"http.server.requests\"}");
	}

	@Test
	void keyValuesTheApplicationAddsDuringTheRequestTagItsTimer() throws Exception {
		// Not scraped: Prometheus needs one set of tag keys per meter name
		ConfigurableApplicationContext context = run("management.prometheus.metrics.export.enabled=false",
				"management.simple.metrics.export.enabled=true");
		get(context, "/api/tenant", Map.of());
		get(context, "/api/hello", Map.of());
		assertThat(isDirect(context)).isTrue();
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		// The request's observation stops after the client has the response
		await(() -> registry.find("http.server.requests").tag("uri", "/api/tenant").timer() != null
				&& registry.find("http.server.requests").tag("uri", "/api/hello").timer() != null);
		assertThat(registry.get("http.server.requests").tag("uri", "/api/tenant").timers()).singleElement()
			.satisfies((timer) -> assertThat(timer.getId().getTag("tenant")).isEqualTo("acme"));
		assertThat(registry.get("http.server.requests").tag("uri", "/api/hello").timers()).singleElement()
			.satisfies((timer) -> assertThat(timer.getId().getTag("tenant")).isNull());
	}

	@Test
	void anotherHandlerForTheRequestSendsEveryRequestDownSpringsPath() throws Exception {
		ConfigurableApplicationContext context = run("test.own-handler=true");
		get(context, "/api/hello", Map.of());
		get(context, "/api/hello", Map.of());
		assertThat(filter(context)).isInstanceOf(DirectServerHttpObservationFilter.class);
		assertThat(isDirect(context)).isFalse();
		await(() -> context.getBean(CountingHandler.class).stopped.get() == 2);
		assertThat(series(context)).anyMatch((line) -> line.contains("uri=\"/api/hello\"") && line.endsWith(" 2"));
	}

	@Test
	void longTaskTimersSendEveryRequestDownSpringsPath() throws Exception {
		ConfigurableApplicationContext context = run("management.metrics.observations.ignored-meters=");
		get(context, "/api/hello", Map.of());
		assertThat(filter(context)).isInstanceOf(DirectServerHttpObservationFilter.class);
		assertThat(isDirect(context)).isFalse();
		assertThat(scrape(context)).contains("http_server_requests_active_seconds");
	}

	@Test
	void aHandlerRegisteredAfterStartUpSendsTheNextRequestsDownSpringsPath() throws Exception {
		ConfigurableApplicationContext context = run();
		get(context, "/api/hello", Map.of());
		assertThat(isDirect(context)).isTrue();
		CountingHandler late = new CountingHandler();
		context.getBean(ObservationRegistry.class).observationConfig().observationHandler(late);
		get(context, "/api/hello", Map.of());
		assertThat(isDirect(context)).isFalse();
		await(() -> late.stopped.get() == 1);
		assertThat(context.getBean(FastPaths.class).state(DirectServerHttpObservationFilter.NAME))
			.isEqualTo(FastPath.State.STEPPED_ASIDE);
	}

	@Test
	void micrometersPackagePrivateMethodsAreReachable(CapturedOutput output) {
		FastPaths fastPaths = new FastPaths();
		ObservationConfigAccess access = ObservationConfigAccess.of(ObservationConfigAccess.DETAILS, fastPaths);
		assertThat(access).isNotNull();
		assertThat(fastPaths.list()).isEmpty();
		ObservationRegistry registry = ObservationRegistry.create();
		CountingHandler handler = new CountingHandler();
		registry.observationConfig().observationHandler(handler).observationPredicate((name, ctx) -> !"no".equals(name));
		assertThat(access.handlers(registry.observationConfig())).containsExactly(handler);
		assertThat(access.filters(registry.observationConfig())).isEmpty();
		assertThat(access.isObservationEnabled(registry.observationConfig(), new Observation.Context())).isTrue();
		Observation.Context skipped = new Observation.Context();
		skipped.setName("no");
		assertThat(access.isObservationEnabled(registry.observationConfig(), skipped)).isFalse();
		assertThat(output).doesNotContain("fell back");
	}

	@Test
	void whenMicrometersMethodsChangeEveryRequestTakesSpringsPathAfterOneWarning(CapturedOutput output)
			throws Exception {
		ObservationRegistry registry = ObservationRegistry.create();
		CountingHandler handler = new CountingHandler();
		registry.observationConfig().observationHandler(handler);
		FastPaths fastPaths = new FastPaths();
		DirectServerHttpObservationFilter filter = new DirectServerHttpObservationFilter(registry,
				new DefaultServerRequestObservationConvention(), new SimpleMeterRegistry(), false, fastPaths,
				new ObservationConfigAccess.Details("getObservationHandlersRenamed", "getObservationFilters",
						"isObservationEnabled"));
		for (int i = 0; i < 2; i++) {
			filter.doFilter(new MockHttpServletRequest("GET", "/api/hello"), new MockHttpServletResponse(),
					new MockFilterChain());
		}
		assertThat(filter.isDirect()).isFalse();
		assertThat(handler.stopped).hasValue(2);
		assertThat(fastPaths.list()).singleElement().satisfies((path) -> {
			assertThat(path.state()).isEqualTo(FastPath.State.FELL_BACK);
			assertThat(path.property()).isEqualTo("clambake.observability.direct-server-requests");
			assertThat(path.detail()).contains("getObservationHandlersRenamed");
		});
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN")
				&& line.contains("fast path 'direct-server-requests' fell back"))).hasSize(1);
	}

	private ConfigurableApplicationContext run(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"spring.application.name=direct-test"));
		all.addAll(List.of(properties));
		if (all.stream().noneMatch((property) -> property.startsWith("clambake.observability.direct-server-requests="))) {
			all.add("clambake.observability.direct-server-requests=true");
		}
		if (all.stream().noneMatch((property) -> property.startsWith("management.tracing.sampling.probability="))) {
			all.add("management.tracing.sampling.probability=1.0");
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.run(all.stream().map((property) -> "--" + property).toArray(String[]::new));
		this.contexts.add(context);
		return context;
	}

	private static ServerHttpObservationFilter filter(ConfigurableApplicationContext context) {
		return (ServerHttpObservationFilter) context.getBeansOfType(FilterRegistrationBean.class)
			.values()
			.stream()
			.map(FilterRegistrationBean::getFilter)
			.filter(ServerHttpObservationFilter.class::isInstance)
			.findFirst()
			.orElseThrow();
	}

	private static boolean isDirect(ConfigurableApplicationContext context) {
		return filter(context) instanceof DirectServerHttpObservationFilter direct && direct.isDirect();
	}

	private HttpResponse<String> get(ConfigurableApplicationContext context, String path, Map<String, String> headers)
			throws IOException, InterruptedException {
		String port = context.getEnvironment().getRequiredProperty("local.server.port");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private String scrape(ConfigurableApplicationContext context) throws IOException, InterruptedException {
		return get(context, "/actuator/prometheus", Map.of()).body();
	}

	// Each http.server.requests series with its count, the scrapes themselves left out
	private TreeSet<String> series(ConfigurableApplicationContext context) throws IOException, InterruptedException {
		return scrape(context).lines()
			.filter((line) -> line.startsWith("http_server_requests_seconds_count{"))
			.filter((line) -> !line.contains("/actuator/"))
			.collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
	}

	// Each server span: name, kind, parent, status and attributes; the ids of its own trace left out
	private static List<String> spans(ConfigurableApplicationContext context) {
		return context.getBean(RecordedSpans.class).spans.stream()
			.filter((span) -> !span.getAttributes().asMap().toString().contains("/actuator/"))
			.map((span) -> span.getName() + " " + span.getKind() + " parent="
					+ (span.getParentSpanContext().isValid() ? span.getParentSpanId() : "-") + " status="
					+ span.getStatus().getStatusCode() + " " + new TreeMap<>(span.getAttributes().asMap().entrySet()
						.stream()
						.collect(Collectors.toMap((entry) -> entry.getKey().getKey(),
								(entry) -> String.valueOf(entry.getValue())))))
			.sorted()
			.toList();
	}

	private static void awaitSpans(ConfigurableApplicationContext context, int count) throws InterruptedException {
		RecordedSpans recorded = context.getBean(RecordedSpans.class);
		await(() -> recorded.spans.size() >= count);
	}

	private static void await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited 30s").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	@SpringBootConfiguration
	// The test class path holds JDBC for the state store's tests; this app has no database
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(TestController.class)
	static class TestApplication {

		@Bean
		RecordedSpans recordedSpans() {
			return new RecordedSpans();
		}

		// The customary way to leave a path out of observations
		@Bean
		ObservationRegistryCustomizer<ObservationRegistry> skipSkipped() {
			return (registry) -> registry.observationConfig()
				.observationPredicate((name, context) -> !(context instanceof ServerRequestObservationContext server)
						|| !server.getCarrier().getRequestURI().equals("/api/skipped"));
		}

		// An observation filter that changes a key value's value, not the number of key values
		@Bean
		ObservationRegistryCustomizer<ObservationRegistry> renameSecondItem() {
			return (registry) -> registry.observationConfig().observationFilter((context) -> {
				if (context instanceof ServerRequestObservationContext server
						&& server.getCarrier().getRequestURI().equals("/api/items/2")) {
					context.addLowCardinalityKeyValue(KeyValue.of("uri", "/api/items/two"));
				}
				return context;
			});
		}

		@Bean
		@ConditionalOnBooleanProperty("test.own-handler")
		CountingHandler countingHandler() {
			return new CountingHandler();
		}

	}

	static class CountingHandler implements ObservationHandler<ServerRequestObservationContext> {

		final AtomicInteger stopped = new AtomicInteger();

		@Override
		public void onStop(ServerRequestObservationContext context) {
			this.stopped.incrementAndGet();
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof ServerRequestObservationContext;
		}

	}

	/**
	 * Keeps every recorded server span as it ends.
	 */
	static class RecordedSpans implements SpanProcessor {

		final List<SpanData> spans = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(Context parentContext, ReadWriteSpan span) {
		}

		@Override
		public boolean isStartRequired() {
			return false;
		}

		@Override
		public void onEnd(ReadableSpan span) {
			if (span.getKind() == SpanKind.SERVER) {
				this.spans.add(span.toSpanData());
			}
		}

		@Override
		public boolean isEndRequired() {
			return true;
		}

	}

	@RestController
	static class TestController {

		@GetMapping("/api/hello")
		String hello() {
			return "hello";
		}

		@GetMapping("/api/items/{id}")
		String item(@PathVariable String id) {
			return "item " + id;
		}

		@GetMapping("/api/fail")
		String fail() {
			throw new IllegalStateException("failed on purpose");
		}

		@GetMapping("/api/async")
		Callable<String> async() {
			return () -> "later";
		}

		@GetMapping("/api/tagged")
		String tagged(HttpServletRequest request) {
			ServerHttpObservationFilter.findObservationContext(request)
				.ifPresent((context) -> context.addHighCardinalityKeyValue(KeyValue.of("checked", "yes")));
			return "tagged";
		}

		@GetMapping("/api/tenant")
		String tenant(HttpServletRequest request) {
			ServerHttpObservationFilter.findObservationContext(request)
				.ifPresent((context) -> context.addLowCardinalityKeyValue(KeyValue.of("tenant", "acme")));
			return "tenant";
		}

		@GetMapping("/api/skipped")
		String skipped() {
			return "skipped";
		}

		@GetMapping("/api/mdc")
		String mdc() {
			return MDC.get("traceId") + " " + MDC.get("spanId");
		}

		@GetMapping("/api/slow")
		String slow() throws InterruptedException {
			Thread.sleep(400);
			return "slow";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnFilterConfiguration {

		@Bean
		FilterRegistrationBean<ServerHttpObservationFilter> ownFilter(ObservationRegistry registry) {
			return new FilterRegistrationBean<>(new ServerHttpObservationFilter(registry));
		}

	}

}
