package dev.clambake.sample;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.clambake.shutdown.InFlightWork;
import dev.clambake.shutdown.ShutdownRefusedException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * A background job: every {@code sample.job.interval} a batch works for
 * {@code sample.job.duration}, tracked as in-flight work named {@value #NAME}, so shutdown
 * waits for a running batch and never starts a new one. With
 * {@code clambake.shutdown.enabled=false} its batches are not tracked.
 */
@Component
class SampleBatchJob implements Runnable, SchedulingConfigurer {

	static final String NAME = "sample-batch";

	private static final Log logger = LogFactory.getLog(SampleBatchJob.class);

	private final InFlightWork inFlightWork;

	private final SampleJobProperties properties;

	private final AtomicLong batches = new AtomicLong();

	SampleBatchJob(ObjectProvider<InFlightWork> inFlightWork, SampleJobProperties properties) {
		// Untracked when Clambake's shutdown is switched off: a tracker nobody waits for
		this.inFlightWork = inFlightWork.getIfAvailable(InFlightWork::new);
		this.properties = properties;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(this, this.properties.getInterval());
	}

	@Override
	public void run() {
		long batch = this.batches.incrementAndGet();
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

}
