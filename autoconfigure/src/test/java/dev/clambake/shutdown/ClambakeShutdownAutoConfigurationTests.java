package dev.clambake.shutdown;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.clambake.config.ClambakeCapability;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class ClambakeShutdownAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ClambakeShutdownAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class));

	private final ExecutorService executor = Executors.newFixedThreadPool(2);

	@AfterEach
	void stopExecutor() {
		this.executor.shutdownNow();
	}

	@Test
	void defaultsRegisterTheSequenceWithNoDrain() {
		this.runner.run((context) -> {
			ClambakeShutdownProperties properties = context.getBean(ClambakeShutdownProperties.class);
			assertThat(properties.isEnabled()).isTrue();
			assertThat(properties.getDrainDelay()).isZero();
			assertThat(properties.getWorkTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getHookTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(context).hasSingleBean(InFlightWork.class)
				.hasSingleBean(ShutdownSequence.class)
				.hasBean("clambakeShutdownDrainLifecycle")
				.hasBean("clambakeShutdownHooksLifecycle")
				.hasSingleBean(ShutdownMetrics.class);
			assertThat(context.getBean("clambakeShutdownDrainLifecycle", ShutdownPhaseLifecycle.class).getPhase())
				.isEqualTo(ShutdownSequence.DRAIN_PHASE);
			assertThat(context.getBean("clambakeShutdownHooksLifecycle", ShutdownPhaseLifecycle.class).getPhase())
				.isEqualTo(ShutdownSequence.HOOKS_PHASE);
			assertThat(context.getBeansOfType(ClambakeCapability.class).values())
				.containsExactly(new ClambakeCapability("shutdown"));
		});
	}

	@Test
	void shutdownWhenPropertyDisabledAddsNoBeans() {
		this.runner.withPropertyValues("clambake.shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(InFlightWork.class)
				.doesNotHaveBean(ShutdownSequence.class)
				.doesNotHaveBean(ShutdownPhaseLifecycle.class)
				.doesNotHaveBean(ShutdownMetrics.class)
				.doesNotHaveBean(ClambakeCapability.class));
	}

	@Test
	void missingMicrometerLeavesOutMetricsOnly() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(ShutdownSequence.class)
				.doesNotHaveBean(ShutdownMetrics.class));
	}

	@Test
	void userInFlightWorkWins() {
		this.runner.withBean("userWork", InFlightWork.class, InFlightWork::new)
			.run((context) -> assertThat(context).hasSingleBean(InFlightWork.class).hasBean("userWork"));
	}

	@Test
	void userValuesBind() {
		this.runner
			.withPropertyValues("clambake.shutdown.drain-delay=2s", "clambake.shutdown.work-timeout=30s",
					"clambake.shutdown.hook-timeout=100ms")
			.run((context) -> {
				ClambakeShutdownProperties properties = context.getBean(ClambakeShutdownProperties.class);
				assertThat(properties.getDrainDelay()).isEqualTo(Duration.ofSeconds(2));
				assertThat(properties.getWorkTimeout()).isEqualTo(Duration.ofSeconds(30));
				assertThat(properties.getHookTimeout()).isEqualTo(Duration.ofMillis(100));
			});
	}

	@Test
	void negativeDrainDelayFailsStartUp() {
		this.runner.withPropertyValues("clambake.shutdown.drain-delay=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must not be negative"));
	}

	@Test
	void zeroHookTimeoutFailsStartUp() {
		this.runner.withPropertyValues("clambake.shutdown.hook-timeout=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be positive"));
	}

	@Test
	void drainStopsBeforeTheWebServerAndHooksRunAfterItStopped() {
		assertThat(ShutdownSequence.DRAIN_PHASE).isGreaterThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
		assertThat(ShutdownSequence.HOOKS_PHASE).isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
			.isGreaterThan(ExecutorConfigurationSupport.DEFAULT_PHASE);
	}

	@Test
	void readinessFlipsAtOnceThenTheDrainThenHooksWhileLivenessStays(CapturedOutput output) {
		this.runner.withPropertyValues("clambake.shutdown.drain-delay=400ms")
			.withUserConfiguration(RecordingHooks.class)
			.run((context) -> {
				RecordingHooks hooks = context.getBean(RecordingHooks.class);
				// What SpringApplication publishes once the application is ready
				AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
				AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
				ShutdownSequence sequence = context.getBean(ShutdownSequence.class);
				context.close();
				assertThat(hooks.readinessFlippedAt.get()).isPositive();
				long drained = hooks.firstHookAt.get() - hooks.readinessFlippedAt.get();
				assertThat(Duration.ofNanos(drained)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
				assertThat(hooks.readinessAtHook.get()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
				assertThat(hooks.livenessAtHook.get()).isEqualTo(LivenessState.CORRECT);
				assertThat(hooks.ran).containsExactly("consumers", "default", "telemetry", "state store");
				assertThat(sequence.phases()).containsOnlyKeys("readiness", "drain",
						"web-server", "hooks", "total");
				assertThat(output).contains("Shutdown began; phase readiness: REFUSING_TRAFFIC")
					.contains("Shutdown phase drain: served normally for")
					.contains("Shutdown phase web-server:")
					.contains("Shutdown phase hooks: running consumers (order 1000), tracked work (order 2000), "
							+ "defaultHook (order 3000), telemetry (order 4000), state store (order 5000)")
					.contains("Shutdown sequence complete in")
					.contains("hooks 4 completed, 0 failed, 0 abandoned; tracked work abandoned: 0");
			});
	}

	@Test
	void hookThatHangsIsAbandonedAtItsTimeoutAndLaterHooksRun(CapturedOutput output) {
		this.runner.withUserConfiguration(HangingHook.class).run((context) -> {
			HangingHook hooks = context.getBean(HangingHook.class);
			long start = System.nanoTime();
			context.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(took).isLessThan(Duration.ofSeconds(5));
			assertThat(hooks.hangStarted.await(0, TimeUnit.SECONDS)).isTrue();
			assertThat(hooks.hangInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(hooks.later).containsExactly("failing ran", "after");
			assertThat(output)
				.contains("Shutdown hook 'hang' (order 1000) abandoned at its timeout of 300ms; the remaining hooks still run")
				.contains("Shutdown hook 'failing' (order 3000) failed after")
				.contains("IllegalStateException: boom")
				.contains("Shutdown hook 'after' (order 4000) completed in")
				.contains("hooks 1 completed, 1 failed, 1 abandoned");
		});
	}

	@Test
	void trackedWorkThatFinishesInTimeIsWaitedFor(CapturedOutput output) {
		this.runner.withPropertyValues("clambake.shutdown.work-timeout=10s").run((context) -> {
			InFlightWork inFlight = context.getBean(InFlightWork.class);
			AtomicBoolean finished = new AtomicBoolean();
			CountDownLatch begun = new CountDownLatch(1);
			this.executor.execute(() -> {
				try (InFlightWork.Work work = inFlight.begin("quick-bundle")) {
					begun.countDown();
					Thread.sleep(500);
					finished.set(true);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			assertThat(begun.await(5, TimeUnit.SECONDS)).isTrue();
			context.close();
			assertThat(finished).isTrue();
			assertThat(output).contains("Shutdown step tracked work: waiting up to 10000ms")
				.contains("for 1: quick-bundle")
				.contains("Shutdown step tracked work: all 1 finished in")
				.contains("tracked work abandoned: 0");
		});
	}

	@Test
	void trackedWorkThatDoesNotFinishIsAbandonedByName(CapturedOutput output) {
		this.runner.withPropertyValues("clambake.shutdown.work-timeout=300ms")
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				InFlightWork inFlight = context.getBean(InFlightWork.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(ShutdownMetrics.ABANDONED_WORK).counter().count()).isZero();
				InFlightWork.Work stuck = inFlight.begin("stuck-bundle");
				InFlightWork.Work done = inFlight.begin("done-bundle");
				done.close();
				long start = System.nanoTime();
				context.close();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
					.isLessThan(Duration.ofSeconds(5));
				assertThat(output).contains("Shutdown step tracked work: abandoned 1 after")
					.contains("(clambake.shutdown.work-timeout=300ms): stuck-bundle (running for")
					.doesNotContain("done-bundle")
					.contains("tracked work abandoned: 1");
				assertThat(registry.get(ShutdownMetrics.ABANDONED_WORK).counter().count()).isEqualTo(1);
				assertThat(registry.get(ShutdownMetrics.PHASE).tag("phase", "drain").timer().count()).isEqualTo(1);
				assertThat(registry.get(ShutdownMetrics.PHASE).tag("phase", "total").timer().count()).isEqualTo(1);
				stuck.close();
			});
	}

	@Test
	void trackedExecutorDrainsItsQueuedTasks() {
		this.runner.run((context) -> {
			InFlightWork inFlight = context.getBean(InFlightWork.class);
			ExecutorService single = Executors.newSingleThreadExecutor();
			try {
				List<Integer> done = new CopyOnWriteArrayList<>();
				var tracked = inFlight.executor("queued-task", single);
				for (int i = 0; i < 3; i++) {
					int task = i;
					tracked.execute(() -> {
						sleep(150);
						done.add(task);
					});
				}
				assertThat(inFlight.running()).hasSize(3);
				context.close();
				assertThat(done).containsExactly(0, 1, 2);
				assertThat(inFlight.running()).isEmpty();
				assertThatExceptionOfType(ShutdownRefusedException.class)
					.isThrownBy(() -> tracked.execute(() -> done.add(99)))
					.withMessageContaining("Work 'queued-task' refused: shutdown began");
			}
			finally {
				single.shutdownNow();
			}
		});
	}

	@Test
	void workStartedAfterShutdownBeganIsRefused() {
		this.runner.withUserConfiguration(LateWorkHook.class).run((context) -> {
			LateWorkHook hook = context.getBean(LateWorkHook.class);
			context.close();
			assertThat(hook.refusal.get()).isInstanceOf(ShutdownRefusedException.class)
				.hasMessageContaining("Work 'late-batch' refused: shutdown began");
			assertThat(((ShutdownRefusedException) hook.refusal.get()).getWorkName()).isEqualTo("late-batch");
		});
	}

	@Test
	void stoppingWithoutClosingNeitherDrainsNorRefuses(CapturedOutput output) {
		this.runner.withPropertyValues("clambake.shutdown.drain-delay=2s").run((context) -> {
			long start = System.nanoTime();
			context.stop();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			assertThat(context.getBean(InFlightWork.class).isAccepting()).isTrue();
			assertThat(output).doesNotContain("Shutdown began");
			context.start();
		});
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingHooks implements ApplicationListener<AvailabilityChangeEvent<?>> {

		final List<String> ran = new CopyOnWriteArrayList<>();

		final AtomicReference<Long> readinessFlippedAt = new AtomicReference<>(0L);

		final AtomicReference<Long> firstHookAt = new AtomicReference<>(0L);

		final AtomicReference<Object> readinessAtHook = new AtomicReference<>();

		final AtomicReference<Object> livenessAtHook = new AtomicReference<>();

		@Override
		public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
			if (event.getState() == ReadinessState.REFUSING_TRAFFIC) {
				this.readinessFlippedAt.compareAndSet(0L, System.nanoTime());
			}
		}

		@Bean
		ShutdownHook stateStoreHook() {
			return ShutdownHook.of("state store", ShutdownHook.ORDER_STATE_STORE, null, () -> this.ran.add("state store"));
		}

		@Bean
		ShutdownHook defaultHook() {
			return () -> this.ran.add("default");
		}

		@Bean
		ShutdownHook telemetryHook() {
			return ShutdownHook.of("telemetry", ShutdownHook.ORDER_FLUSH_TELEMETRY, Duration.ofSeconds(1),
					() -> this.ran.add("telemetry"));
		}

		@Bean
		ShutdownHook consumersHook(ApplicationAvailability availability) {
			return ShutdownHook.of("consumers", ShutdownHook.ORDER_STOP_CONSUMERS, null, () -> {
				this.firstHookAt.compareAndSet(0L, System.nanoTime());
				this.readinessAtHook.set(availability.getReadinessState());
				this.livenessAtHook.set(availability.getLivenessState());
				this.ran.add("consumers");
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HangingHook {

		final CountDownLatch hangStarted = new CountDownLatch(1);

		final CountDownLatch hangInterrupted = new CountDownLatch(1);

		final List<String> later = new CopyOnWriteArrayList<>();

		@Bean
		ShutdownHook hang() {
			return ShutdownHook.of("hang", ShutdownHook.ORDER_STOP_CONSUMERS, Duration.ofMillis(300), () -> {
				this.hangStarted.countDown();
				try {
					Thread.sleep(60_000);
				}
				catch (InterruptedException ex) {
					this.hangInterrupted.countDown();
				}
			});
		}

		@Bean
		ShutdownHook failing() {
			return ShutdownHook.of("failing", ShutdownHook.ORDER_DEFAULT, null, () -> {
				this.later.add("failing ran");
				throw new IllegalStateException("boom");
			});
		}

		@Bean
		ShutdownHook after() {
			return ShutdownHook.of("after", ShutdownHook.ORDER_FLUSH_TELEMETRY, null, () -> this.later.add("after"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LateWorkHook {

		final AtomicReference<Throwable> refusal = new AtomicReference<>();

		@Bean
		ShutdownHook lateWork(InFlightWork inFlight) {
			return ShutdownHook.of("late work", ShutdownHook.ORDER_DEFAULT, null, () -> {
				try (InFlightWork.Work work = inFlight.begin("late-batch")) {
					this.refusal.set(new AssertionError("late work was accepted"));
				}
				catch (ShutdownRefusedException ex) {
					this.refusal.set(ex);
				}
			});
		}

	}

}
