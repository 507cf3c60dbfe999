package dev.clambake.state;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clambake.testsupport.FaultProxy;
import dev.clambake.testsupport.RunningApplication;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request whose state store is down, on a real Spring MVC (Tomcat) and a real WebFlux
 * (Netty) application, read over HTTP: 503 problem details with {@code Retry-After} and the
 * correlation id, within the store's time-outs, and 200 again once the database is back.
 */
class StateStoreUnavailableWebTests {

	private static final Duration GENEROUS = Duration.ofSeconds(8);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<ClambakeStateProperties> schemas = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		for (ClambakeStateProperties properties : this.schemas) {
			TestDatabases.postgres().dropSchemaOf(properties);
		}
	}

	@Test
	void servletAnswers503WithRetryAfterAndTheCorrelationIdThenRecovers() throws Exception {
		assertUnavailableThenRecovered(ServletApplication.class, WebApplicationType.SERVLET);
	}

	@Test
	void webFluxAnswers503WithRetryAfterAndTheCorrelationIdThenRecovers() throws Exception {
		assertUnavailableThenRecovered(ReactiveApplication.class, WebApplicationType.REACTIVE);
	}

	private void assertUnavailableThenRecovered(Class<?> application, WebApplicationType type) throws Exception {
		TestDatabases.Postgres postgres = TestDatabases.postgres();
		URI database = URI.create(postgres.url().substring("jdbc:".length()));
		FaultProxy proxy = FaultProxy.start(database.getHost(), (database.getPort() != -1) ? database.getPort() : 5432);
		this.closeables.add(proxy);
		ClambakeStateProperties properties = postgres.newSchema();
		this.schemas.add(properties);
		RunningApplication app = RunningApplication.start(application, type, "clambake.state.enabled=true",
				"clambake.state.url=" + properties.getUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"),
				"clambake.state.username=" + properties.getUsername(),
				"clambake.state.password=" + properties.getPassword(), "clambake.state.connect-timeout=1s",
				"clambake.state.socket-timeout=2s", "clambake.state.statement-timeout=1s",
				"clambake.state.pool.connection-timeout=1s", "clambake.state.retry-after=7s");
		this.closeables.add(app);
		assertThat(post(app, "before").statusCode()).isEqualTo(200);
		// Black-holed rather than refused, so the proxy's port cannot be lost while it is down
		proxy.cut();
		proxy.blackHole();
		long start = System.nanoTime();
		HttpResponse<String> response = post(app, "during");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GENEROUS);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(contentType) -> assertThat(contentType).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"status\":503")
			.contains("\"title\":\"State store unavailable\"")
			.contains("\"correlationId\":\"" + response.request().headers().firstValue("X-Correlation-ID").get() + "\"")
			.doesNotContain("password")
			.doesNotContain("SQLException");
		proxy.pass();
		Awaitility.await().atMost(GENEROUS).until(() -> post(app, "after-" + UUID.randomUUID()).statusCode() == 200);
	}

	private HttpResponse<String> post(RunningApplication app, String key) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/write/" + key))
			.header("X-Correlation-ID", "fault-" + key)
			.timeout(Duration.ofSeconds(20))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	static class ServletApplication {

		@Bean
		ServletWriter writer(StateStore store) {
			return new ServletWriter(store);
		}

	}

	@RestController
	static class ServletWriter {

		private final StateStore store;

		ServletWriter(StateStore store) {
			this.store = store;
		}

		@PostMapping("/write/{key}")
		String write(@PathVariable String key) {
			return this.store.create("tasks", key, "{}").key();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	static class ReactiveApplication {

		@Bean
		ReactiveWriter writer(StateStore store) {
			return new ReactiveWriter(store);
		}

	}

	@RestController
	static class ReactiveWriter {

		private final StateStore store;

		ReactiveWriter(StateStore store) {
			this.store = store;
		}

		@PostMapping("/write/{key}")
		Mono<String> write(@PathVariable String key) {
			return Mono.fromCallable(() -> this.store.create("tasks", key, "{}").key())
				.subscribeOn(Schedulers.boundedElastic());
		}

	}

}
