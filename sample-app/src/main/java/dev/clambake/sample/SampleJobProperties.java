package dev.clambake.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample background job, {@link SampleBatchJob}.
 */
@ConfigurationProperties("sample.job")
public class SampleJobProperties {

	/**
	 * Pause between the end of one batch and the start of the next.
	 */
	private Duration interval = Duration.ofSeconds(5);

	/**
	 * How long each batch works.
	 */
	private Duration duration = Duration.ofMillis(200);

	/**
	 * Lease duration of the single-replica batch: a replica that dies holding it keeps other
	 * replicas from running a batch at most this long.
	 */
	private Duration leaseDuration = Duration.ofSeconds(30);

	public Duration getLeaseDuration() {
		return this.leaseDuration;
	}

	public void setLeaseDuration(Duration leaseDuration) {
		this.leaseDuration = leaseDuration;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

	public Duration getDuration() {
		return this.duration;
	}

	public void setDuration(Duration duration) {
		this.duration = duration;
	}

}
