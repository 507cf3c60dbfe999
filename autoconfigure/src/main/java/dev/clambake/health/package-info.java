/**
 * Health: every health contributor time-boxed and run in parallel on a small executor, at
 * most one run in flight per contributor, optional background-refreshed results, a
 * {@code DEGRADED} status and probe groups that hold no remote dependency.
 */
@NullMarked
package dev.clambake.health;

import org.jspecify.annotations.NullMarked;
