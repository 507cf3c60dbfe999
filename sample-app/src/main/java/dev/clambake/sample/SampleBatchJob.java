package dev.clambake.sample;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.clambake.lease.Leases;
import dev.clambake.lease.SingleReplica;
import dev.clambake.lease.SingleReplicaRun;
import dev.clambake.shutdown.InFlightWork;
import dev.clambake.shutdown.ShutdownRefusedException;
import dev.clambake.state.FencedWriteRefusedException;
import dev.clambake.state.StateStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A background job: every {@code sample.job.interval} a batch works for
 * {@code sample.job.duration}. With the state store on it is a single-replica job on the lease
 * {@value #NAME} ({@code sample.job.lease-duration}): at most one replica sharing the store runs
 * a batch at a time, and each batch records its replica, fencing token and its start and end by
 * the database's clock with a fenced write into namespace {@value #RUNS_NAMESPACE}, read back
 * by {@code GET /api/batch-runs}. A batch is tracked as in-flight work named {@value #NAME}, so
 * shutdown waits for a running batch and never starts a new one; with
 * {@code clambake.shutdown.enabled=false} its batches are not tracked.
 */
@Component
class SampleBatchJob {

	static final String NAME = "sample-batch";

	static final String RUNS_NAMESPACE = "sample-batch-runs";

	private static final Log logger = LogFactory.getLog(SampleBatchJob.class);

	private final InFlightWork inFlightWork;

	private final ObjectProvider<Leases> leases;

	private final ObjectProvider<StateStore> store;

	private final JsonMapper json;

	private final SampleJobProperties properties;

	private final AtomicLong batches = new AtomicLong();

	SampleBatchJob(ObjectProvider<InFlightWork> inFlightWork, ObjectProvider<Leases> leases,
			ObjectProvider<StateStore> store, JsonMapper json, SampleJobProperties properties) {
		// Untracked when Clambake's shutdown is switched off: a tracker nobody waits for
		this.inFlightWork = inFlightWork.getIfAvailable(InFlightWork::new);
		this.leases = leases;
		this.store = store;
		this.json = json;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${sample.job.interval:5s}")
	@SingleReplica(lease = NAME, duration = "${sample.job.lease-duration:30s}")
	public void run() {
		long batch = this.batches.incrementAndGet();
		Optional<SingleReplicaRun> run = SingleReplicaRun.find();
		if (run.isPresent()) {
			// Tracked as in-flight work by the single-replica run itself
			leased(batch, run.get());
			return;
		}
		try (InFlightWork.Work work = this.inFlightWork.begin(NAME)) {
			logger.info(NAME + " #" + batch + " started, working for " + this.properties.getDuration().toMillis() + "ms");
			Thread.sleep(this.properties.getDuration().toMillis());
			logger.info(NAME + " #" + batch + " finished");
		}
		catch (ShutdownRefusedException ex) {
			logger.info(NAME + " #" + batch + " not started: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			logger.warn(NAME + " #" + batch + " interrupted");
		}
	}

	private void leased(long batch, SingleReplicaRun run) {
		Leases leases = this.leases.getObject();
		Instant start = leases.databaseTime();
		long token = run.fence().token();
		logger.info(NAME + " #" + batch + " started, working for " + this.properties.getDuration().toMillis()
				+ "ms (fencing token " + token + ", holder " + leases.holder() + ")");
		boolean interrupted = false;
		try {
			Thread.sleep(this.properties.getDuration().toMillis());
		}
		catch (InterruptedException ex) {
			interrupted = true;
			logger.warn(NAME + " #" + batch + " interrupted (lease lost: " + run.isLost() + ")");
		}
		try {
			// Written whatever happened, as a paused process would: the fence decides
			Instant end = leases.databaseTime();
			BatchRun record = new BatchRun(leases.holder(), token, start, end, run.correlationId());
			this.store.getObject().create(RUNS_NAMESPACE, BatchRun.key(token), this.json.writeValueAsString(record),
					leases.holder(), run.fence());
			logger.info(NAME + " #" + batch + " finished");
		}
		catch (FencedWriteRefusedException ex) {
			logger.warn(NAME + " #" + batch + " record refused: " + ex.getMessage());
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * The record one batch leaves in namespace {@value SampleBatchJob#RUNS_NAMESPACE}.
	 *
	 * @param replica the holder identity of the replica that ran it
	 * @param token the fencing token of its lease
	 * @param start when it started, by the database's clock
	 * @param end when it ended, by the database's clock
	 * @param correlationId the correlation id of the run
	 */
	record BatchRun(String replica, long token, Instant start, Instant end, String correlationId) {

		// Keys sort in ascending order: counting down from the largest token lists newest first
		static String key(long token) {
			return String.format("%019d", Long.MAX_VALUE - token);
		}

	}

}
