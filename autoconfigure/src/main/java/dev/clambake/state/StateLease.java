package dev.clambake.state;

import java.time.Duration;
import java.time.Instant;

/**
 * A row of the lease table as the database last returned it; every time in it is read from
 * the database's clock.
 *
 * @param name the lease's name
 * @param holder the replica that acquired it last (it may have expired or been released)
 * @param token the fencing token of that acquisition, one more with every acquisition
 * @param acquiredAt when it was acquired
 * @param expiresAt when it expires, or expired
 * @param databaseTime the database's time when the row was read
 */
public record StateLease(String name, String holder, long token, Instant acquiredAt, Instant expiresAt,
		Instant databaseTime) {

	/**
	 * Return whether the lease was held when the row was read.
	 * @return whether it had not yet expired by the database's clock
	 */
	public boolean isHeld() {
		return this.expiresAt.isAfter(this.databaseTime);
	}

	/**
	 * Return how long the lease had left when the row was read.
	 * @return the time to expiry, zero when expired
	 */
	public Duration remaining() {
		return isHeld() ? Duration.between(this.databaseTime, this.expiresAt) : Duration.ZERO;
	}

	/**
	 * Return the fence that writes made under this acquisition carry.
	 * @return the fence
	 */
	public StateFence fence() {
		return new StateFence(this.name, this.holder, this.token);
	}

}
