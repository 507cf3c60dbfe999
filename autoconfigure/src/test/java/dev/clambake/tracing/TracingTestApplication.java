package dev.clambake.tracing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A tiny web app for tracing tests: {@code /api/upstream} calls {@code /api/hello} on the
 * same server through a Boot-built {@link RestClient}.
 */
@SpringBootConfiguration
// The test class path holds JDBC for the state store's tests; this app has no database
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@Import(TracingTestApplication.TestController.class)
class TracingTestApplication {

	@org.springframework.context.annotation.Bean
	EndedSpans endedSpans() {
		return new EndedSpans();
	}

	/**
	 * Counts recorded spans as they end, so tests await a span's end instead of sleeping.
	 */
	static class EndedSpans implements io.opentelemetry.sdk.trace.SpanProcessor {

		final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

		@Override
		public void onStart(io.opentelemetry.context.Context parentContext,
				io.opentelemetry.sdk.trace.ReadWriteSpan span) {
		}

		@Override
		public boolean isStartRequired() {
			return false;
		}

		@Override
		public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {
			this.count.incrementAndGet();
		}

		@Override
		public boolean isEndRequired() {
			return true;
		}

	}

	@RestController
	static class TestController {

		private static final Logger logger = LoggerFactory.getLogger(TestController.class);

		private final RestClient restClient;

		private final Environment environment;

		TestController(RestClient.Builder builder, Environment environment) {
			this.restClient = builder.build();
			this.environment = environment;
		}

		@GetMapping("/api/hello")
		String hello() {
			logger.info("hello called");
			return "hello";
		}

		@GetMapping("/api/upstream")
		String upstream() {
			logger.info("upstream called");
			String port = this.environment.getRequiredProperty("local.server.port");
			return "upstream: " + this.restClient.get().uri("http://127.0.0.1:" + port + "/api/hello")
				.retrieve()
				.body(String.class);
		}

	}

}
