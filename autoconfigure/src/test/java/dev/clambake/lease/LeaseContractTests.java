package dev.clambake.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.clambake.correlation.CorrelationIds;
import dev.clambake.shutdown.InFlightWork;
import dev.clambake.shutdown.ShutdownAccess;
import dev.clambake.state.ClambakeStateProperties;
import dev.clambake.state.FencedWriteRefusedException;
import dev.clambake.state.JdbcStateStore;
import dev.clambake.state.StateAuditRecord;
import dev.clambake.state.StateFence;
import dev.clambake.state.StateLease;
import dev.clambake.state.StateLeaseTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What leases, fenced writes and single-replica runs do on every store database; run against
 * SQLite and PostgreSQL. Expiry is by the database's clock, which cannot be injected, so the
 * tests that need a lease to expire use leases of a few hundred milliseconds.
 */
abstract class LeaseContractTests {

	private static final Duration LONG = Duration.ofSeconds(30);

	private final List<AutoCloseable> opened = new ArrayList<>();

	protected ClambakeStateProperties properties;

	protected abstract ClambakeStateProperties newDatabase() throws Exception;

	protected abstract Connection connect(ClambakeStateProperties properties) throws SQLException;

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.opened) {
			closeable.close();
		}
	}

	private JdbcStateStore store() throws Exception {
		if (this.properties == null) {
			this.properties = newDatabase();
		}
		JdbcStateStore store = JdbcStateStore.open(this.properties, List.of());
		this.opened.add(store);
		return store;
	}

	private DefaultLeases leases(StateLeaseTable table, String holder, LeaseListener... listeners) {
		return new DefaultLeases(table, holder, List.of(listeners));
	}

	@Test
	void aLeaseIsAcquiredRenewedAndReleasedAndHeldByOneHolderAtATime() throws Exception {
		JdbcStateStore store = store();
		DefaultLeases a = leases(store, "a");
		DefaultLeases b = leases(store, "b");
		Instant before = store.databaseTime();
		Lease lease = a.tryAcquire("job", LONG).orElseThrow();
		assertThat(lease.holder()).isEqualTo("a");
		assertThat(lease.token()).isEqualTo(1);
		assertThat(lease.acquiredAt()).isAfterOrEqualTo(before);
		assertThat(Duration.between(lease.acquiredAt(), lease.expiresAt())).isEqualTo(LONG);
		assertThat(a.held()).containsExactly(lease);
		assertThat(b.tryAcquire("job", LONG)).isEmpty();
		assertThat(b.tryAcquire("other-job", LONG)).isPresent();

		Lease renewed = a.renew(lease, Duration.ofMinutes(2)).orElseThrow();
		assertThat(renewed.token()).isEqualTo(1);
		assertThat(renewed.expiresAt()).isAfter(lease.expiresAt());

		assertThat(a.release(renewed)).isTrue();
		assertThat(a.held()).isEmpty();
		assertThat(a.release(renewed)).isFalse();
		StateLease row = store.lease("job").orElseThrow();
		assertThat(row.isHeld()).isFalse();
		assertThat(row.token()).isEqualTo(1);
		Lease taken = b.tryAcquire("job", LONG).orElseThrow();
		assertThat(taken.token()).isEqualTo(2);
		assertThat(a.renew(renewed, LONG)).isEmpty();
		assertThat(store.leases()).extracting(StateLease::name).containsExactly("job", "other-job");
	}

	@Test
	void everyAcquisitionGetsAHigherTokenAndAnEarlierOneOfTheSameHolderIsFencedOut() throws Exception {
		JdbcStateStore store = store();
		DefaultLeases a = leases(store, "a");
		DefaultLeases b = leases(store, "b");
		long last = 0;
		for (int i = 0; i < 6; i++) {
			DefaultLeases holder = (i % 2 == 0) ? a : b;
			Lease lease = holder.tryAcquire("job", LONG).orElseThrow();
			assertThat(lease.token()).isGreaterThan(last);
			last = lease.token();
			holder.release(lease);
		}
		Lease first = a.tryAcquire("job", LONG).orElseThrow();
		Lease again = a.tryAcquire("job", LONG).orElseThrow();
		assertThat(again.token()).isEqualTo(first.token() + 1);
		assertThatExceptionOfType(FencedWriteRefusedException.class)
			.isThrownBy(() -> store.create("out", "k", "{}", null, first.fence()));
		store.create("out", "k", "{}", null, again.fence());
	}

	@Test
	void aLeaseExpiresByTheDatabaseClockAndIsThenTakenOverWithTheNextToken() throws Exception {
		JdbcStateStore store = store();
		DefaultLeases a = leases(store, "a");
		DefaultLeases b = leases(store, "b");
		Lease lease = a.tryAcquire("job", Duration.ofMillis(400)).orElseThrow();
		assertThat(b.tryAcquire("job", LONG)).isEmpty();
		Lease taken = await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> b.tryAcquire("job", LONG), Optional::isPresent)
			.orElseThrow();
		assertThat(taken.token()).isEqualTo(lease.token() + 1);
		assertThat(taken.acquiredAt()).isAfterOrEqualTo(lease.expiresAt());
		assertThat(a.renew(lease, LONG)).isEmpty();
		assertThat(a.held()).isEmpty();
	}

	@Test
	void fencedWritesAreRefusedOnceTheLeasePassedToAnotherHolderAndWriteNothing() throws Exception {
		JdbcStateStore store = store();
		DefaultLeases a = leases(store, "a");
		DefaultLeases b = leases(store, "b");
		Lease lease = a.tryAcquire("job", Duration.ofMillis(300)).orElseThrow();
		StateFence fence = lease.fence();
		long version = store.create("out", "k", "{\"n\":1}", "a", fence).version();
		store.replace("out", "k", "{\"n\":2}", version, "a", fence);
		Lease taken = await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> b.tryAcquire("job", LONG), Optional::isPresent)
			.orElseThrow();
		assertThatExceptionOfType(FencedWriteRefusedException.class)
			.isThrownBy(() -> store.replace("out", "k", "{\"n\":3}", 2, "a", fence))
			.withMessageContaining("lease 'job'")
			.withMessageContaining("presented token 1 of holder 'a'")
			.withMessageContaining("current token is 2, held by 'b'")
			.satisfies((ex) -> {
				assertThat(ex.getCurrentToken()).isEqualTo(2);
				assertThat(ex.getCurrentHolder()).isEqualTo("b");
				assertThat(ex.getFence()).isEqualTo(fence);
			});
		assertThatExceptionOfType(FencedWriteRefusedException.class)
			.isThrownBy(() -> store.create("out", "k2", "{}", "a", fence));
		assertThatExceptionOfType(FencedWriteRefusedException.class)
			.isThrownBy(() -> store.delete("out", "k", 2, "a", fence));
		assertThat(store.get("out", "k").orElseThrow().value()).isEqualTo("{\"n\":2}");
		assertThat(store.get("out", "k2")).isEmpty();
		store.replace("out", "k", "{\"n\":3}", 2, "b", taken.fence());
		assertThatExceptionOfType(FencedWriteRefusedException.class)
			.isThrownBy(() -> store.create("out", "k3", "{}", null, new StateFence("never", "a", 1)))
			.withMessageContaining("the lease does not exist");
	}

	@Test
	void aFencedWriteIsRefusedOnceItsLeaseExpiredEvenWithNoNewHolder() throws Exception {
		JdbcStateStore store = store();
		Lease lease = leases(store, "a").tryAcquire("job", Duration.ofMillis(200)).orElseThrow();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !store.lease("job").orElseThrow().isHeld());
		assertThatExceptionOfType(FencedWriteRefusedException.class)
			.isThrownBy(() -> store.create("out", "k", "{}", null, lease.fence()))
			.withMessageContaining("expired");
	}

	@Test
	void everyChangeOfHolderIsInTheAuditTrail() throws Exception {
		JdbcStateStore store = store();
		DefaultLeases a = leases(store, "replica-a");
		DefaultLeases b = leases(store, "replica-b");
		Lease first = a.tryAcquire("job", LONG).orElseThrow();
		a.renew(first, LONG);
		a.release(first);
		b.tryAcquire("job", LONG).orElseThrow();
		List<StateAuditRecord> audit = store.audit(StateLeaseTable.AUDIT_NAMESPACE, "job", null, 100).items();
		assertThat(audit).extracting(StateAuditRecord::action)
			.containsExactly(StateAuditRecord.Action.ACQUIRED, StateAuditRecord.Action.RELEASED,
					StateAuditRecord.Action.ACQUIRED);
		assertThat(audit).extracting(StateAuditRecord::actor).containsExactly("replica-a", "replica-a", "replica-b");
		assertThat(audit.get(0).oldVersion()).isNull();
		assertThat(audit.get(0).newVersion()).isEqualTo(1);
		assertThat(audit.get(2).oldVersion()).isEqualTo(1);
		assertThat(audit.get(2).newVersion()).isEqualTo(2);
	}

	@Test
	void concurrentAcquisitionsFromManyHoldersLetExactlyOneWin() throws Exception {
		JdbcStateStore store = store();
		int holders = 6;
		CyclicBarrier barrier = new CyclicBarrier(holders);
		ExecutorService executor = Executors.newFixedThreadPool(holders);
		try {
			List<Future<Optional<Lease>>> results = new ArrayList<>();
			for (int i = 0; i < holders; i++) {
				DefaultLeases leases = leases(store, "holder-" + i);
				results.add(executor.submit(() -> {
					barrier.await();
					return leases.tryAcquire("job", LONG);
				}));
			}
			int won = 0;
			for (Future<Optional<Lease>> result : results) {
				if (result.get(30, TimeUnit.SECONDS).isPresent()) {
					won++;
				}
			}
			assertThat(won).isEqualTo(1);
			assertThat(store.lease("job").orElseThrow().token()).isEqualTo(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aSingleReplicaRunIsTrackedRenewedReleasedAndHasItsOwnCorrelationId() throws Exception {
		JdbcStateStore store = store();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		LeaseMetrics metrics = new LeaseMetrics(registry);
		DefaultLeases a = leases(store, "a", metrics);
		InFlightWork inFlightWork = new InFlightWork();
		SingleReplicaJobs jobs = new SingleReplicaJobs(a, inFlightWork, List.of(metrics));
		this.opened.add(jobs);
		MDC.put(CorrelationIds.MDC_KEY, "outer");
		List<String> correlationIds = new ArrayList<>();
		List<Long> tokens = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				assertThat(jobs.run("job", Duration.ofSeconds(1), (run) -> {
					assertThat(inFlightWork.running()).extracting(InFlightWork.Work::name).containsExactly("job");
					assertThat(SingleReplicaRun.current()).isSameAs(run);
					correlationIds.add(MDC.get(CorrelationIds.MDC_KEY));
					assertThat(run.correlationId()).isEqualTo(MDC.get(CorrelationIds.MDC_KEY));
					tokens.add(run.fence().token());
					Instant firstExpiry = run.lease().expiresAt();
					// Longer than the lease: only renewal keeps it
					Thread.sleep(1500);
					assertThat(run.isLost()).isFalse();
					assertThat(run.lease().expiresAt()).isAfter(firstExpiry);
					store.create("out", "k" + run.fence().token(), "{}", null, run.fence());
				})).isTrue();
			}
			assertThat(MDC.get(CorrelationIds.MDC_KEY)).isEqualTo("outer");
		}
		finally {
			MDC.remove(CorrelationIds.MDC_KEY);
		}
		assertThat(correlationIds).hasSize(2).doesNotHaveDuplicates().allMatch((id) -> id.matches("[0-9a-f]{32}"));
		assertThat(tokens).containsExactly(1L, 2L);
		assertThat(SingleReplicaRun.find()).isEmpty();
		assertThat(inFlightWork.running()).isEmpty();
		assertThat(store.lease("job").orElseThrow().isHeld()).isFalse();
		assertThat(store.audit("out", null, null, 10).items()).extracting(StateAuditRecord::correlationId)
			.containsExactlyElementsOf(correlationIds);
		assertThat(registry.get(LeaseMetrics.ACQUISITIONS).tag("lease", "job").counter().count()).isEqualTo(2);
		assertThat(registry.get(LeaseMetrics.HELD).tag("lease", "job").gauge().value()).isZero();
		assertThat(registry.get(LeaseMetrics.RUN_DURATION).tags("lease", "job", "outcome", "success").timer().count())
			.isEqualTo(2);
	}

	@Test
	void aRunWhoseLeaseIsHeldElsewhereIsSkippedAndCounted() throws Exception {
		JdbcStateStore store = store();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		LeaseMetrics metrics = new LeaseMetrics(registry);
		SingleReplicaJobs jobs = new SingleReplicaJobs(leases(store, "a", metrics), null, List.of(metrics));
		this.opened.add(jobs);
		leases(store, "b").tryAcquire("job", LONG).orElseThrow();
		AtomicBoolean ran = new AtomicBoolean();
		assertThat(jobs.run("job", LONG, (run) -> ran.set(true))).isFalse();
		assertThat(ran).isFalse();
		assertThat(registry.get(LeaseMetrics.SKIPPED).tags("lease", "job", "reason", "held").counter().count())
			.isEqualTo(1);
		assertThat(registry.get(LeaseMetrics.ACQUISITIONS).tag("lease", "job").counter().count()).isZero();
	}

	@Test
	void aRunThatLosesItsLeaseIsInterruptedAndToldAndItsFencedWritesFail() throws Exception {
		JdbcStateStore store = store();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		LeaseMetrics metrics = new LeaseMetrics(registry);
		SingleReplicaJobs jobs = new SingleReplicaJobs(leases(store, "a", metrics), null, List.of(metrics));
		this.opened.add(jobs);
		AtomicReference<SingleReplicaRun> seen = new AtomicReference<>();
		AtomicBoolean interrupted = new AtomicBoolean();
		CountDownLatch started = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Boolean> result = executor.submit(() -> jobs.run("job", Duration.ofMillis(600), (run) -> {
				seen.set(run);
				started.countDown();
				try {
					Thread.sleep(20_000);
				}
				catch (InterruptedException ex) {
					interrupted.set(true);
				}
				assertThat(run.isLost()).isTrue();
				assertThatExceptionOfType(LeaseLostException.class).isThrownBy(run::checkHeld)
					.withMessageContaining("'job'");
				assertThatExceptionOfType(FencedWriteRefusedException.class)
					.isThrownBy(() -> store.create("out", "late", "{}", null, run.fence()));
			}));
			assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
			// Another replica takes the lease over behind the holder's back
			takeOver("job", "thief");
			assertThat(result.get(15, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(interrupted).isTrue();
		assertThat(store.get("out", "late")).isEmpty();
		assertThat(registry.get(LeaseMetrics.LOSSES).tag("lease", "job").counter().count()).isEqualTo(1);
		assertThat(registry.get(LeaseMetrics.RUN_DURATION).tags("lease", "job", "outcome", "lost").timer().count())
			.isEqualTo(1);
		assertThat(store.lease("job").orElseThrow().holder()).isEqualTo("thief");
	}

	@Test
	void aRunInProgressHereIsNotStartedTwiceAndShutdownRefusesNewRuns() throws Exception {
		JdbcStateStore store = store();
		InFlightWork inFlightWork = new InFlightWork();
		SingleReplicaJobs jobs = new SingleReplicaJobs(leases(store, "a"), inFlightWork, List.of());
		this.opened.add(jobs);
		Set<Boolean> inner = ConcurrentHashMap.newKeySet();
		assertThat(jobs.run("job", LONG, (run) -> inner.add(jobs.run("job", LONG, (nested) -> {
		})))).isTrue();
		assertThat(inner).containsExactly(false);
		ShutdownAccess.refuseNew(inFlightWork);
		assertThat(jobs.run("job", LONG, (run) -> {
			throw new AssertionError("must not run");
		})).isFalse();
	}

	@Test
	void releaseAllOnShutdownHandsHeldLeasesOverAtOnce() throws Exception {
		JdbcStateStore store = store();
		DefaultLeases a = leases(store, "a");
		a.tryAcquire("one", LONG).orElseThrow();
		a.tryAcquire("two", LONG).orElseThrow();
		assertThat(a.releaseAll()).isEqualTo(2);
		assertThat(a.held()).isEmpty();
		DefaultLeases b = leases(store, "b");
		assertThat(b.tryAcquire("one", LONG)).hasValueSatisfying((lease) -> assertThat(lease.token()).isEqualTo(2));
		assertThat(b.tryAcquire("two", LONG)).isPresent();
	}

	private void takeOver(String name, String holder) throws SQLException {
		try (Connection connection = connect(this.properties); PreparedStatement statement = connection
			.prepareStatement("UPDATE clambake_state_lease SET holder = ?, token = token + 1 WHERE name = ?")) {
			statement.setString(1, holder);
			statement.setString(2, name);
			assertThat(statement.executeUpdate()).isOne();
		}
	}

}
