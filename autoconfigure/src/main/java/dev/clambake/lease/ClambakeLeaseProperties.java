package dev.clambake.lease;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

/**
 * Properties of leases and single-replica jobs.
 */
@ConfigurationProperties("clambake.lease")
public class ClambakeLeaseProperties {

	/**
	 * Whether leases and single-replica jobs are enabled; they need the state store
	 * (clambake.state.enabled=true).
	 */
	private boolean enabled = true;

	/**
	 * Identity this replica holds leases under, recorded in the lease table and the audit trail;
	 * by default the host name and the process id, as host:pid.
	 */
	private @Nullable String holder;

	/**
	 * Lease duration of @SingleReplica methods that do not give one; a run renews its lease every
	 * third of it, and a replica that dies holds it at most this long.
	 */
	private Duration defaultDuration = Duration.ofSeconds(30);

	/**
	 * How long releasing this replica's leases on shutdown may take.
	 */
	private Duration releaseTimeout = Duration.ofSeconds(5);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getHolder() {
		return this.holder;
	}

	public void setHolder(@Nullable String holder) {
		this.holder = holder;
	}

	public Duration getDefaultDuration() {
		return this.defaultDuration;
	}

	public void setDefaultDuration(Duration defaultDuration) {
		this.defaultDuration = defaultDuration;
	}

	public Duration getReleaseTimeout() {
		return this.releaseTimeout;
	}

	public void setReleaseTimeout(Duration releaseTimeout) {
		this.releaseTimeout = releaseTimeout;
	}

	/**
	 * Return the holder identity: the configured one, or host:pid.
	 * @return the holder
	 */
	public String resolveHolder() {
		if (StringUtils.hasText(this.holder)) {
			return this.holder.strip();
		}
		return hostName() + ":" + ProcessHandle.current().pid();
	}

	private static String hostName() {
		String name = System.getenv("HOSTNAME");
		if (StringUtils.hasText(name)) {
			return name;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String runtime = ManagementFactory.getRuntimeMXBean().getName();
			int at = runtime.indexOf('@');
			return (at >= 0) ? runtime.substring(at + 1) : "localhost";
		}
	}

}
