/**
 * Leases with fencing tokens on the state store, and single-replica jobs built on them:
 * {@link dev.clambake.lease.Leases}, {@link dev.clambake.lease.SingleReplica} and
 * {@link dev.clambake.lease.SingleReplicaJobs}.
 */
@NullMarked
package dev.clambake.lease;

import org.jspecify.annotations.NullMarked;
