package dev.clambake.lease;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clambake.shutdown.ClambakeShutdownAutoConfiguration;
import dev.clambake.shutdown.ShutdownHook;
import dev.clambake.state.ClambakeStateAutoConfiguration;
import dev.clambake.state.StateFence;
import dev.clambake.state.StateLease;
import dev.clambake.state.StateLeaseTable;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ClambakeLeaseAutoConfigurationTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ClambakeStateAutoConfiguration.class, ClambakeShutdownAutoConfiguration.class,
					ClambakeLeaseAutoConfiguration.class));

	private ApplicationContextRunner enabled() {
		return this.runner.withPropertyValues("clambake.state.enabled=true",
				"clambake.state.url=jdbc:sqlite:" + this.directory.resolve("data/state.db"));
	}

	@Test
	void leasesAreOnWhenTheStateStoreIs() {
		enabled().withPropertyValues("clambake.lease.holder=replica-1").run((context) -> {
			assertThat(context).hasSingleBean(Leases.class)
				.hasSingleBean(SingleReplicaJobs.class)
				.hasSingleBean(SingleReplicaPostProcessor.class)
				.hasBean("leasesShutdownHook");
			Leases leases = context.getBean(Leases.class);
			assertThat(leases.holder()).isEqualTo("replica-1");
			assertThat(leases.tryAcquire("job", Duration.ofSeconds(30))).isPresent();
			assertThat(leases.databaseTime()).isNotNull();
		});
	}

	@Test
	void theDefaultHolderIsTheHostNameAndProcessId() {
		assertThat(new ClambakeLeaseProperties().resolveHolder()).endsWith(":" + ProcessHandle.current().pid());
		assertThat(new ClambakeLeaseProperties().getDefaultDuration()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void leasesAreOffWithoutTheStateStore() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(Leases.class)
			.doesNotHaveBean(SingleReplicaJobs.class)
			.doesNotHaveBean(SingleReplicaPostProcessor.class));
	}

	@Test
	void leasesAreOffWhenDisabled() {
		enabled().withPropertyValues("clambake.lease.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Leases.class)
				.doesNotHaveBean(SingleReplicaJobs.class)
				.doesNotHaveBean(SingleReplicaPostProcessor.class)
				.doesNotHaveBean("leasesShutdownHook"));
	}

	@Test
	void metricsAreRecordedWhenThereIsARegistryAndNotWithoutMicrometer() {
		enabled().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(LeaseMetrics.class);
			context.getBean(Leases.class).tryAcquire("job", Duration.ofSeconds(30));
			assertThat(context.getBean(MeterRegistry.class).get(LeaseMetrics.HELD).tag("lease", "job").gauge().value())
				.isEqualTo(1);
		});
		enabled().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(Leases.class).doesNotHaveBean(LeaseMetrics.class));
	}

	@Test
	void aUserLeasesBeanWins() {
		enabled().withUserConfiguration(UserLeasesConfiguration.class).run((context) -> {
			assertThat(context.getBean(Leases.class)).isSameAs(context.getBean("userLeases"));
			assertThat(context.getBean(SingleReplicaJobs.class)).isNotNull();
		});
	}

	@Test
	void anInvalidDefaultDurationStopsStartUp() {
		enabled().withPropertyValues("clambake.lease.default-duration=soon")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void theShutdownHookReleasesHeldLeasesAfterTrackedWork() {
		enabled().run((context) -> {
			ShutdownHook hook = context.getBean("leasesShutdownHook", ShutdownHook.class);
			assertThat(hook.getOrder()).isGreaterThan(ShutdownHook.ORDER_TRACKED_WORK)
				.isLessThan(ShutdownHook.ORDER_STATE_STORE);
			Leases leases = context.getBean(Leases.class);
			leases.tryAcquire("job", Duration.ofSeconds(30)).orElseThrow();
			hook.run();
			assertThat(leases.held()).isEmpty();
			StateLease row = context.getBean(StateLeaseTable.class).lease("job").orElseThrow();
			assertThat(row.isHeld()).isFalse();
		});
	}

	@Test
	void closingTheContextReleasesHeldLeasesEvenWithTheShutdownSequenceOff() {
		ApplicationContextRunner runner = enabled().withPropertyValues("clambake.shutdown.enabled=false");
		runner.run((context) -> context.getBean(Leases.class).tryAcquire("job", Duration.ofMinutes(5)).orElseThrow());
		runner.run((context) -> {
			StateLease row = context.getBean(StateLeaseTable.class).lease("job").orElseThrow();
			assertThat(row.isHeld()).isFalse();
			assertThat(context.getBean(Leases.class).tryAcquire("job", Duration.ofMinutes(5)))
				.hasValueSatisfying((lease) -> assertThat(lease.token()).isEqualTo(2));
		});
	}

	@Test
	void singleReplicaMethodsRunUnderTheirLeaseAndAreSkippedWhenItIsHeldElsewhere() {
		enabled().withUserConfiguration(JobConfiguration.class)
			.withPropertyValues("job.lease=nightly", "clambake.lease.holder=me")
			.run((context) -> {
				Job job = context.getBean(Job.class);
				assertThat(job.work()).isEqualTo("ran");
				assertThat(job.fences()).singleElement().satisfies((fence) -> {
					assertThat(fence.lease()).isEqualTo("nightly");
					assertThat(fence.holder()).isEqualTo("me");
				});
				StateLeaseTable table = context.getBean(StateLeaseTable.class);
				assertThat(table.lease("nightly").orElseThrow().isHeld()).isFalse();
				table.acquireLease("nightly", "elsewhere", Duration.ofSeconds(30)).orElseThrow();
				assertThat(job.work()).isNull();
				assertThat(job.fences()).hasSize(1);
			});
	}

	@Test
	void scheduledSingleReplicaMethodsAreScheduledThroughTheProxy() {
		enabled().withUserConfiguration(ScheduledJobConfiguration.class).run((context) -> {
			ScheduledJob job = context.getBean(ScheduledJob.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> job.runs() >= 2);
			assertThat(job.inRun()).doesNotContain(false);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserLeasesConfiguration {

		@Bean
		Leases userLeases(StateLeaseTable table) {
			return new DefaultLeases(table, "user", List.of());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JobConfiguration {

		@Bean
		Job job() {
			return new Job();
		}

	}

	static class Job {

		final List<StateFence> fences = new CopyOnWriteArrayList<>();

		// Fields of a proxied bean are read through methods: the proxy's own fields are empty
		List<StateFence> fences() {
			return this.fences;
		}

		@SingleReplica(lease = "${job.lease}", duration = "10s")
		String work() {
			this.fences.add(SingleReplicaRun.current().fence());
			return "ran";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ScheduledJobConfiguration {

		@Bean
		ScheduledJob scheduledJob() {
			return new ScheduledJob();
		}

	}

	static class ScheduledJob {

		final AtomicInteger runs = new AtomicInteger();

		final List<Boolean> inRun = new CopyOnWriteArrayList<>();

		int runs() {
			return this.runs.get();
		}

		List<Boolean> inRun() {
			return this.inRun;
		}

		@Scheduled(fixedDelay = 50)
		@SingleReplica(lease = "scheduled")
		void tick() {
			this.inRun.add(SingleReplicaRun.find().map((run) -> !run.isLost()).orElse(false));
			this.runs.incrementAndGet();
		}

	}

}
