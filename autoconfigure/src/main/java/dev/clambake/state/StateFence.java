package dev.clambake.state;

import org.springframework.util.Assert;

/**
 * A lease and the fencing token its holder was given: a write that carries it is committed
 * only while the lease still has that holder and token and has not expired by the database's
 * clock, checked in the write's own transaction.
 *
 * @param lease the lease's name
 * @param holder the holder the lease was acquired by
 * @param token the fencing token of that acquisition
 * @see StateStore#create(String, String, String, String, StateFence)
 */
public record StateFence(String lease, String holder, long token) {

	public StateFence {
		Assert.hasText(lease, "Lease name must not be empty");
		Assert.hasText(holder, "Lease holder must not be empty");
		Assert.isTrue(token > 0, "Fencing token must be positive");
	}

	@Override
	public String toString() {
		return "lease '" + this.lease + "' held by '" + this.holder + "' with fencing token " + this.token;
	}

}
