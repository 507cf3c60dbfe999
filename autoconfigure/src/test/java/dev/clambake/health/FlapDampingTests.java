package dev.clambake.health;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import dev.clambake.testsupport.RunningApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flap damping and criticality on a running application, read over real HTTP the way
 * Kubernetes reads its probes.
 */
class FlapDampingTests {

	@Test
	void componentFailingEveryOtherCheckLeavesReadinessAloneAndThreeFailuresInARowTakeItDown() throws Exception {
		try (RunningApplication app = RunningApplication.start(ScriptedApplication.class, WebApplicationType.SERVLET,
				"management.endpoint.health.show-details=always",
				"clambake.health.components.flaky.failure-threshold=3",
				"clambake.health.components.flaky.criticality=critical")) {
			Scripted flaky = app.context().getBean("flakyHealthIndicator", Scripted.class);
			flaky.mode = Scripted.Mode.EVERY_OTHER;
			for (int i = 0; i < 12; i++) {
				HttpResponse<String> readiness = app.get("/actuator/health/readiness");
				assertThat(readiness.statusCode()).as("read %d: %s", i, readiness.body()).isEqualTo(200);
				assertThat((String) JsonPath.read(readiness.body(), "$.components.flaky.status")).isEqualTo("UP");
			}
			assertThat(flaky.checks.get()).isGreaterThanOrEqualTo(12);
			flaky.mode = Scripted.Mode.DOWN;
			for (int failures = 1; failures <= 2; failures++) {
				HttpResponse<String> readiness = app.get("/actuator/health/readiness");
				assertThat(readiness.statusCode()).as("failure %d", failures).isEqualTo(200);
				assertThat((String) JsonPath.read(readiness.body(), "$.components.flaky.details.rawStatus"))
					.isEqualTo("DOWN");
				assertThat((Integer) JsonPath.read(readiness.body(), "$.components.flaky.details.streak"))
					.isEqualTo(failures);
			}
			HttpResponse<String> down = app.get("/actuator/health/readiness");
			assertThat(down.statusCode()).isEqualTo(503);
			assertThat((String) JsonPath.read(down.body(), "$.components.flaky.status")).isEqualTo("DOWN");
			assertThat((Integer) JsonPath.read(down.body(), "$.components.flaky.details.streak")).isEqualTo(3);
			assertThat((String) JsonPath.read(down.body(), "$.components.flaky.details.since")).isNotBlank();
			flaky.mode = Scripted.Mode.UP;
			assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void withDefaultThresholdsEveryFailureShowsAtOnceWithUnchangedDetails() throws Exception {
		try (RunningApplication app = RunningApplication.start(ScriptedApplication.class, WebApplicationType.SERVLET,
				"management.endpoint.health.show-details=always")) {
			Scripted flaky = app.context().getBean("flakyHealthIndicator", Scripted.class);
			flaky.mode = Scripted.Mode.DOWN;
			HttpResponse<String> health = app.get("/actuator/health");
			assertThat(health.statusCode()).isEqualTo(503);
			assertThat(health.body()).doesNotContain("rawStatus").doesNotContain("streak");
			// Not critical: outside readiness, as before
			assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void successThresholdHoldsDownUntilEnoughGoodChecks() throws Exception {
		try (RunningApplication app = RunningApplication.start(ScriptedApplication.class, WebApplicationType.SERVLET,
				"management.endpoint.health.show-details=always", "clambake.health.success-threshold=2")) {
			Scripted flaky = app.context().getBean("flakyHealthIndicator", Scripted.class);
			flaky.mode = Scripted.Mode.DOWN;
			assertThat(app.get("/actuator/health").statusCode()).isEqualTo(503);
			flaky.mode = Scripted.Mode.UP;
			HttpResponse<String> held = app.get("/actuator/health");
			assertThat(held.statusCode()).isEqualTo(503);
			assertThat((String) JsonPath.read(held.body(), "$.components.flaky.details.rawStatus")).isEqualTo("UP");
			assertThat(app.get("/actuator/health").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void optionalComponentDownIsDegradedAndServedWhileACriticalOneTakesReadinessDown() throws Exception {
		try (RunningApplication app = RunningApplication.start(ScriptedApplication.class, WebApplicationType.SERVLET,
				"management.endpoint.health.show-details=always",
				"clambake.health.components.flaky.criticality=optional",
				"clambake.health.components.database.criticality=critical")) {
			Scripted flaky = app.context().getBean("flakyHealthIndicator", Scripted.class);
			Scripted database = app.context().getBean("databaseHealthIndicator", Scripted.class);
			flaky.mode = Scripted.Mode.DOWN;
			HttpResponse<String> degraded = app.get("/actuator/health");
			assertThat(degraded.statusCode()).isEqualTo(200);
			assertThat((String) JsonPath.read(degraded.body(), "$.status")).isEqualTo("DEGRADED");
			assertThat((String) JsonPath.read(degraded.body(), "$.components.flaky.status")).isEqualTo("DEGRADED");
			assertThat((String) JsonPath.read(degraded.body(), "$.components.flaky.details.rawStatus"))
				.isEqualTo("DOWN");
			HttpResponse<String> ready = app.get("/actuator/health/readiness");
			assertThat(ready.statusCode()).isEqualTo(200);
			assertThat(ready.body()).contains("database").doesNotContain("flaky");

			database.mode = Scripted.Mode.DOWN;
			assertThat(app.get("/actuator/health").statusCode()).isEqualTo(503);
			HttpResponse<String> notReady = app.get("/actuator/health/readiness");
			assertThat(notReady.statusCode()).isEqualTo(503);
			assertThat((String) JsonPath.read(notReady.body(), "$.components.database.status")).isEqualTo("DOWN");
			// Liveness never holds a dependency
			assertThat(app.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void excludedCriticalComponentStaysOutOfReadiness() throws Exception {
		try (RunningApplication app = RunningApplication.start(ScriptedApplication.class, WebApplicationType.SERVLET,
				"clambake.health.components.database.criticality=critical",
				"management.endpoint.health.group.readiness.exclude=database")) {
			app.context().getBean("databaseHealthIndicator", Scripted.class).mode = Scripted.Mode.DOWN;
			assertThat(app.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		}
	}

	/**
	 * A check whose answers the test scripts.
	 */
	static final class Scripted implements HealthIndicator {

		enum Mode {

			UP, DOWN, EVERY_OTHER

		}

		final AtomicInteger checks = new AtomicInteger();

		volatile Mode mode = Mode.UP;

		@Override
		public Health health() {
			int check = this.checks.incrementAndGet();
			return switch (this.mode) {
				case UP -> Health.up().build();
				case DOWN -> Health.down().withDetail("error", "scripted").build();
				case EVERY_OTHER -> (check % 2 == 0) ? Health.down().build() : Health.up().build();
			};
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	// The test class path holds JDBC for the state store's tests; this app has no database
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	static class ScriptedApplication {

		@Bean
		Scripted flakyHealthIndicator() {
			return new Scripted();
		}

		@Bean
		Scripted databaseHealthIndicator() {
			return new Scripted();
		}

	}

}
