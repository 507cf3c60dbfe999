package dev.clambake.lease;

import java.time.Instant;

import dev.clambake.state.StateFence;
import dev.clambake.state.StateLease;

/**
 * A lease this replica acquired; its times are the database's.
 *
 * @param name the lease's name
 * @param holder this replica's holder identity ({@code clambake.lease.holder})
 * @param token the fencing token of this acquisition, higher than that of every earlier one
 * @param acquiredAt when it was acquired
 * @param expiresAt when it expires unless renewed, as of the last acquisition or renewal
 */
public record Lease(String name, String holder, long token, Instant acquiredAt, Instant expiresAt) {

	static Lease of(StateLease lease) {
		return new Lease(lease.name(), lease.holder(), lease.token(), lease.acquiredAt(), lease.expiresAt());
	}

	/**
	 * Return the fence that state store writes made under this lease carry, so that they are
	 * refused once the lease has passed to another holder.
	 * @return the fence
	 */
	public StateFence fence() {
		return new StateFence(this.name, this.holder, this.token);
	}

}
