/**
 * Health: every health contributor time-boxed and run in parallel on a small executor, at
 * most one run in flight per contributor, optional background-refreshed results, a
 * {@code DEGRADED} status and probe groups that hold no remote dependency; flap damping and
 * critical or optional components, a liveness probe that sees deadlocks and stuck requests,
 * and a warm-up gate ({@link dev.clambake.health.WarmUp}) that holds readiness.
 */
@NullMarked
package dev.clambake.health;

import org.jspecify.annotations.NullMarked;
