package dev.clambake.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.config.ClambakeDefaultsEnvironmentPostProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.ReactiveHealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.DefaultHealthContributorRegistry;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ClambakeHealthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer((context) -> new ClambakeDefaultsEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withPropertyValues("management.endpoint.health.show-details=always")
		.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
				AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
				ClambakeHealthAutoConfiguration.class));

	@Test
	void defaultsTimeBoxTheRegistryWithABoundedExecutor() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ClambakeHealthExecutor.class);
			assertThat(context.getBean(HealthContributorRegistry.class))
				.isInstanceOf(TimeBoxedHealthContributorRegistry.class);
			assertThat(context.getBeansOfType(ClambakeCapability.class).values())
				.contains(new ClambakeCapability("health"));
			ClambakeHealthProperties properties = context.getBean(ClambakeHealthProperties.class);
			assertThat(properties.getTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.getCacheTtl()).isZero();
		});
	}

	@Test
	void whenDisabledAddsNoBeansAndLeavesTheRegistryAlone() {
		this.runner.withPropertyValues("clambake.health.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ClambakeHealthExecutor.class)
				.doesNotHaveBean(ClambakeHealthProperties.class);
			assertThat(context.getBean(HealthContributorRegistry.class))
				.isInstanceOf(DefaultHealthContributorRegistry.class);
		});
	}

	@Test
	void withoutSpringBootHealthAddsNoBeans() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthContributorRegistry.class))
			.withConfiguration(AutoConfigurations.of(ClambakeHealthAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ClambakeHealthExecutor.class));
	}

	@Test
	void userExecutorWins() {
		this.runner.withUserConfiguration(UserExecutor.class)
			.run((context) -> assertThat(context.getBean(ClambakeHealthExecutor.class))
				.isSameAs(UserExecutor.EXECUTOR));
	}

	@Test
	void invalidTimeoutStopsStartUp() {
		this.runner.withPropertyValues("clambake.health.timeout=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be positive"));
		this.runner.withPropertyValues("clambake.health.max-threads=0")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void invalidProbeSettingsStopStartUp() {
		this.runner.withPropertyValues("clambake.health.failure-threshold=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be at least 1"));
		this.runner.withPropertyValues("clambake.health.components.db.success-threshold=0")
			.run((context) -> assertThat(context).hasFailed());
		this.runner.withPropertyValues("clambake.health.components.db.criticality=sometimes")
			.run((context) -> assertThat(context).hasFailed());
		this.runner.withPropertyValues("clambake.health.warm-up.requests=api/hello")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be a path starting with /"));
		this.runner.withPropertyValues("clambake.health.liveness.stuck-request-timeout=0s")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void defaultsDetectDeadlocksInLivenessAndAddNoWarmUpNorStuckRequestTracking() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DeadlockHealthIndicator.class)
				.doesNotHaveBean(ClambakeWarmUp.class)
				.doesNotHaveBean(WarmUpHealthIndicator.class)
				.doesNotHaveBean(StuckRequestsHealthIndicator.class);
			assertThat(((CompositeHealthDescriptor) probe(context, "liveness").getBody()).getComponents())
				.containsOnlyKeys("livenessState", "deadlocks");
			assertThat(((CompositeHealthDescriptor) probe(context, "readiness").getBody()).getComponents())
				.containsOnlyKeys("readinessState");
		});
	}

	@Test
	void userProbeIndicatorsWin() {
		this.runner.withBean("deadlocksHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.withBean("testWarmUp", WarmUp.class, () -> () -> {
			})
			.withBean("warmUpHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DeadlockHealthIndicator.class)
					.hasSingleBean(ClambakeWarmUp.class)
					.doesNotHaveBean(WarmUpHealthIndicator.class);
				assertThat(((CompositeHealthDescriptor) probe(context, "liveness").getBody()).getComponents())
					.containsOnlyKeys("livenessState", "deadlocks");
				assertThat(((CompositeHealthDescriptor) probe(context, "startup").getBody()).getComponents())
					.containsOnlyKeys("readinessState", "warmUp");
			});
	}

	@Test
	void checkPastItsTimeBoxCountsAsOneFailureHoweverOftenItIsRead() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger calls = new AtomicInteger();
		HealthIndicator upThenHanging = () -> {
			if (calls.incrementAndGet() > 1) {
				await(release);
			}
			return Health.up().build();
		};
		this.runner.withBean("upstream", HealthIndicator.class, () -> upThenHanging)
			.withPropertyValues("clambake.health.timeouts.upstream=200ms",
					"clambake.health.components.upstream.failure-threshold=2")
			.run((context) -> {
				try {
					assertThat(component(health(context), "upstream").getStatus()).isEqualTo(Status.UP);
					for (int i = 0; i < 5; i++) {
						Health upstream = component(health(context), "upstream");
						assertThat(upstream.getStatus()).isEqualTo(Status.UP);
						assertThat(upstream.getDetails()).containsEntry("rawStatus", "DOWN")
							.containsEntry("streak", 1)
							.containsEntry("error", "timed out after 200ms");
					}
					assertThat(calls).hasValue(2);
				}
				finally {
					release.countDown();
				}
			});
	}

	@Test
	void hangingIndicatorTimesOutAndIsNotStartedAgainWhileRunning() {
		Hanging hanging = new Hanging();
		this.runner.withBean("upstream", HealthIndicator.class, () -> hanging)
			.withPropertyValues("clambake.health.timeouts.upstream=300ms")
			.run((context) -> {
				long start = System.nanoTime();
				WebEndpointResponse<HealthDescriptor> response = health(context);
				assertThat(elapsedMs(start)).isLessThan(300 + 500);
				assertThat(response.getStatus()).isEqualTo(503);
				Health upstream = component(response, "upstream");
				assertThat(upstream.getStatus()).isEqualTo(Status.DOWN);
				assertThat(upstream.getDetails()).containsEntry("error", "timed out after 300ms")
					.containsKeys("latencyMs", "checkedAt");
				for (int i = 0; i < 20; i++) {
					health(context);
					probe(context, "liveness");
				}
				assertThat(hanging.calls).hasValue(1);
			});
	}

	@Test
	void componentStatusGaugesNeverWaitForACheck() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withBean("upstream", HealthIndicator.class, Hanging::new)
			.withBean("database", HealthIndicator.class, () -> () -> Health.up().build())
			.withBean("cache", HealthIndicator.class, () -> () -> Health.status(ClambakeHealthStatus.DEGRADED).build())
			.withPropertyValues("clambake.health.timeouts.upstream=300ms")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				long start = System.nanoTime();
				double upstream = status(meters, "upstream");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
				assertThat(upstream).isIn(-1.0, 0.0);
				Awaitility.await()
					.atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> {
						assertThat(status(meters, "database")).isEqualTo(1.0);
						assertThat(status(meters, "cache")).isEqualTo(0.5);
						assertThat(status(meters, "upstream")).isEqualTo(0.0);
					});
			});
	}

	@Test
	void contributorsRunInParallel() {
		this.runner.withBean("a", HealthIndicator.class, Hanging::new)
			.withBean("b", HealthIndicator.class, Hanging::new)
			.withBean("c", HealthIndicator.class, Hanging::new)
			.withPropertyValues("clambake.health.timeout=400ms")
			.run((context) -> {
				long start = System.nanoTime();
				WebEndpointResponse<HealthDescriptor> response = health(context);
				assertThat(elapsedMs(start)).isLessThan(400 + 500);
				assertThat(component(response, "c").getDetails()).containsEntry("error", "timed out after 400ms");
			});
	}

	@Test
	void probesHoldOnlyLocalStateAndStayUpWhileADependencyHangs() {
		this.runner.withBean("upstream", HealthIndicator.class, Hanging::new)
			.withPropertyValues("clambake.health.timeout=300ms")
			.run((context) -> {
				for (String probe : new String[] { "liveness", "readiness", "startup" }) {
					long start = System.nanoTime();
					WebEndpointResponse<HealthDescriptor> response = probe(context, probe);
					assertThat(elapsedMs(start)).as(probe).isLessThan(200);
					assertThat(response.getStatus()).as(probe).isEqualTo(200);
					assertThat(((CompositeHealthDescriptor) response.getBody()).getComponents()).as(probe)
						.doesNotContainKey("upstream");
				}
			});
	}

	@Test
	void degradedAndFlappingAggregateWorstFirst() {
		Flapping flapping = new Flapping();
		this.runner.withBean("flapping", HealthIndicator.class, () -> flapping)
			.withBean("degraded", HealthIndicator.class,
					() -> () -> Health.status(ClambakeHealthStatus.DEGRADED).build())
			.run((context) -> {
				// UP + DEGRADED: DEGRADED, still served
				WebEndpointResponse<HealthDescriptor> up = health(context);
				assertThat(component(up, "flapping").getStatus()).isEqualTo(Status.UP);
				assertThat(up.getBody().getStatus()).isEqualTo(ClambakeHealthStatus.DEGRADED);
				assertThat(up.getStatus()).isEqualTo(200);
				// DOWN + DEGRADED: DOWN
				WebEndpointResponse<HealthDescriptor> down = health(context);
				assertThat(component(down, "flapping").getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getBody().getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getStatus()).isEqualTo(503);
				flapping.next = Status.OUT_OF_SERVICE;
				WebEndpointResponse<HealthDescriptor> out = health(context);
				assertThat(out.getBody().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(out.getStatus()).isEqualTo(503);
			});
	}

	@Test
	void compositeChildrenAreTimeBoxedToo() {
		this.runner
			.withBean("db", CompositeHealthContributor.class,
					() -> CompositeHealthContributor
						.fromMap(Map.of("primary", (HealthIndicator) () -> Health.up().build(), "replica", new Hanging())))
			.withPropertyValues("clambake.health.timeout=5s", "clambake.health.timeouts.[db/replica]=200ms")
			.run((context) -> {
				long start = System.nanoTime();
				WebEndpointResponse<HealthDescriptor> response = health(context, "db");
				assertThat(elapsedMs(start)).isLessThan(200 + 500);
				assertReplicaTimedOut(context, response);
			});
	}

	@Test
	void hangingReactiveIndicatorTimesOutOnServletAndWebFluxEndpoints() {
		NeverAnswering redis = new NeverAnswering();
		this.runner.withBean("redis", ReactiveHealthIndicator.class, () -> redis)
			.withBean("cache", ReactiveHealthIndicator.class,
					() -> () -> Mono.just(Health.up().withDetail("password", "hunter2").build()))
			.withPropertyValues("clambake.health.timeouts.redis=300ms")
			.run((context) -> {
				assertThat(context.getBean(ReactiveHealthContributorRegistry.class))
					.isInstanceOf(TimeBoxedReactiveHealthContributorRegistry.class);
				// A servlet application reads the reactive registry as its fallback
				long start = System.nanoTime();
				WebEndpointResponse<HealthDescriptor> servlet = health(context);
				assertThat(elapsedMs(start)).isLessThan(300 + 500);
				assertThat(servlet.getStatus()).isEqualTo(503);
				assertThat(component(servlet, "redis").getDetails()).containsEntry("error", "timed out after 300ms");
				assertThat(component(servlet, "cache").getStatus()).isEqualTo(Status.UP);
				assertThat(component(servlet, "cache").getDetails()).containsKey("latencyMs")
					.doesNotContainValue("hunter2");
				// A WebFlux application reads it first
				start = System.nanoTime();
				WebEndpointResponse<? extends HealthDescriptor> webFlux = reactiveHealth(context);
				assertThat(elapsedMs(start)).isLessThan(300 + 500);
				assertThat(webFlux.getStatus()).isEqualTo(503);
				assertThat(component(webFlux, "redis").getStatus()).isEqualTo(Status.DOWN);
				assertThat(component(webFlux, "redis").getDetails()).containsEntry("error", "timed out after 300ms");
				assertThat(reactiveHealth(context, "cache").getStatus()).isEqualTo(200);
				for (int i = 0; i < 10; i++) {
					health(context);
					reactiveHealth(context);
					reactiveHealth(context, "redis");
				}
				// One check in flight for all those reads
				assertThat(redis.subscriptions).hasValue(1);
				assertThat(reactiveHealth(context, "liveness").getStatus()).isEqualTo(200);
			});
	}

	@Test
	void reactiveCompositeChildrenAreTimeBoxed() {
		this.runner
			.withBean("db", CompositeReactiveHealthContributor.class,
					() -> CompositeReactiveHealthContributor.fromMap(Map.of("primary",
							(ReactiveHealthIndicator) () -> Mono.just(Health.up().build()), "replica",
							new NeverAnswering())))
			.withPropertyValues("clambake.health.timeout=5s", "clambake.health.timeouts.[db/replica]=200ms")
			.run((context) -> {
				long start = System.nanoTime();
				WebEndpointResponse<? extends HealthDescriptor> response = reactiveHealth(context, "db");
				assertThat(elapsedMs(start)).isLessThan(200 + 500);
				assertReplicaTimedOut(context, response);
			});
	}

	// The "db" composite answered with its "replica" child timed out after 200ms, "primary" up
	private static void assertReplicaTimedOut(AssertableApplicationContext context,
			WebEndpointResponse<? extends HealthDescriptor> response) {
		Map<String, HealthDescriptor> db = ((CompositeHealthDescriptor) response.getBody()).getComponents();
		assertThat(((IndicatedHealthDescriptor) db.get("primary")).getStatus()).isEqualTo(Status.UP);
		assertThat(((IndicatedHealthDescriptor) db.get("replica")).getDetails()).containsEntry("error",
				"timed out after 200ms");
		assertThat(health(context, "db", "replica").getStatus()).isEqualTo(503);
	}

	@Test
	void reactiveIndicatorsGetStatusGauges() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withBean("redis", ReactiveHealthIndicator.class, NeverAnswering::new)
			.withBean("cache", ReactiveHealthIndicator.class, () -> () -> Mono.just(Health.up().build()))
			.withPropertyValues("clambake.health.timeouts.redis=300ms")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				Awaitility.await()
					.atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> {
						assertThat(status(meters, "cache")).isEqualTo(1.0);
						assertThat(status(meters, "redis")).isEqualTo(0.0);
					});
			});
	}

	@Test
	void reactiveRegistryIsLeftAloneWhenDisabled() {
		this.runner.withPropertyValues("clambake.health.enabled=false")
			.run((context) -> assertThat(context.getBean(ReactiveHealthContributorRegistry.class))
				.isNotInstanceOf(TimeBoxedReactiveHealthContributorRegistry.class));
	}

	@Test
	void cachedResultsAreReadAtOnceAndRefreshedInTheBackground() {
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch slow = new CountDownLatch(1);
		this.runner.withBean("counted", HealthIndicator.class, () -> () -> {
			if (calls.incrementAndGet() > 1) {
				await(slow);
			}
			return Health.up().withDetail("call", calls.get()).build();
		}).withPropertyValues("clambake.health.cache-ttl=1ms").run((context) -> {
			assertThat(component(health(context), "counted").getDetails()).containsEntry("call", 1);
			Thread.sleep(5); // let the 1ms result expire
			long start = System.nanoTime();
			// the refresh hangs in the background; the read returns the latest result at once
			assertThat(component(health(context), "counted").getDetails()).containsEntry("call", 1);
			assertThat(elapsedMs(start)).isLessThan(500);
			slow.countDown();
		});
	}

	@Test
	void detailsNeverCarrySecrets() {
		this.runner
			.withBean("leaky", HealthIndicator.class,
					() -> () -> Health.up()
						.withDetail("apiToken", "t0k3n")
						.withDetail("url", "jdbc:postgresql://app:hunter2@db:5432/app")
						.withDetail("nested", Map.of("password", "hunter2"))
						.build())
			.run((context) -> {
				Map<String, Object> details = component(health(context), "leaky").getDetails();
				assertThat(details.toString()).doesNotContain("t0k3n").doesNotContain("hunter2");
				assertThat(details).containsEntry("url", "jdbc:postgresql://app:******@db:5432/app");
			});
	}

	@Test
	void detailsAreHiddenByDefault() {
		this.runner.withPropertyValues("management.endpoint.health.show-details=when-authorized")
			.withBean("upstream", HealthIndicator.class, () -> () -> Health.up().withDetail("x", 1).build())
			.run((context) -> {
				HealthDescriptor upstream = ((CompositeHealthDescriptor) health(context).getBody()).getComponents()
					.get("upstream");
				assertThat(((IndicatedHealthDescriptor) upstream).getDetails()).isEmpty();
			});
	}

	@Test
	void readinessMemberJoinsReadinessOnlyWhenItExists() {
		this.runner.withBean(ClambakeReadinessMember.class, () -> new ClambakeReadinessMember("stateStore"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(((CompositeHealthDescriptor) probe(context, "readiness").getBody()).getComponents())
					.containsOnlyKeys("readinessState");
			});
		this.runner.withBean(ClambakeReadinessMember.class, () -> new ClambakeReadinessMember("stateStore"))
			.withBean("stateStore", HealthIndicator.class, () -> () -> Health.down().build())
			.run((context) -> {
				WebEndpointResponse<HealthDescriptor> readiness = probe(context, "readiness");
				assertThat(((CompositeHealthDescriptor) readiness.getBody()).getComponents())
					.containsOnlyKeys("readinessState", "stateStore");
				assertThat(readiness.getStatus()).isEqualTo(503);
				assertThat(probe(context, "liveness").getStatus()).isEqualTo(200);
			});
		this.runner.withBean(ClambakeReadinessMember.class, () -> new ClambakeReadinessMember("stateStore"))
			.withBean("stateStore", HealthIndicator.class, () -> () -> Health.down().build())
			.withPropertyValues("management.endpoint.health.group.readiness.exclude=stateStore")
			.run((context) -> assertThat(probe(context, "readiness").getStatus()).isEqualTo(200));
	}

	private static WebEndpointResponse<HealthDescriptor> health(AssertableApplicationContext context,
			String... path) {
		// What SpringApplication publishes once the application has started
		AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
		// What the web extension serves, built from the context's registry and groups
		return new HealthEndpointWebExtension(context.getBean(HealthContributorRegistry.class),
				context.getBeanProvider(ReactiveHealthContributorRegistry.class).getIfAvailable(),
				context.getBean(HealthEndpointGroups.class), null)
			.health(ApiVersion.V3, WebServerNamespace.SERVER, SecurityContext.NONE, path);
	}

	// What a WebFlux application serves
	private static WebEndpointResponse<? extends HealthDescriptor> reactiveHealth(
			AssertableApplicationContext context, String... path) {
		AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
		return new ReactiveHealthEndpointWebExtension(context.getBean(ReactiveHealthContributorRegistry.class),
				context.getBean(HealthContributorRegistry.class), context.getBean(HealthEndpointGroups.class), null)
			.health(ApiVersion.V3, WebServerNamespace.SERVER, SecurityContext.NONE, path)
			.block(Duration.ofSeconds(10));
	}

	private static WebEndpointResponse<HealthDescriptor> probe(AssertableApplicationContext context,
			String probe) {
		return health(context, probe);
	}

	private static Health component(WebEndpointResponse<? extends HealthDescriptor> response, String name) {
		IndicatedHealthDescriptor descriptor = (IndicatedHealthDescriptor) ((CompositeHealthDescriptor) response
			.getBody()).getComponents().get(name);
		assertThat(descriptor).as(name).isNotNull();
		return Health.status(descriptor.getStatus()).withDetails(descriptor.getDetails()).build();
	}

	private static double status(MeterRegistry meters, String component) {
		return meters.get(HealthStatusMetrics.METER).tag("component", component).gauge().value();
	}

	private static long elapsedMs(long startNanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static final class Hanging implements HealthIndicator {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public Health health() {
			this.calls.incrementAndGet();
			try {
				// Released only when the context's pool is shut down
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return Health.up().build();
		}

	}

	/**
	 * A reactive check whose {@code Mono} never completes, like a client waiting on a dead
	 * connection.
	 */
	static final class NeverAnswering implements ReactiveHealthIndicator {

		final AtomicInteger subscriptions = new AtomicInteger();

		@Override
		public Mono<Health> health() {
			return Mono.<Health>never().doOnSubscribe((subscription) -> this.subscriptions.incrementAndGet());
		}

	}

	static final class Flapping implements HealthIndicator {

		private boolean up;

		volatile Status next;

		@Override
		public Health health() {
			if (this.next != null) {
				return Health.status(this.next).build();
			}
			this.up = !this.up;
			return this.up ? Health.up().build() : Health.down().build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserExecutor {

		static final ClambakeHealthExecutor EXECUTOR = new ClambakeHealthExecutor(1);

		@Bean
		ClambakeHealthExecutor userHealthExecutor() {
			return EXECUTOR;
		}

	}

}
