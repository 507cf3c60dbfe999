package dev.clambake.health;

import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A health indicator that reports the application's own state for a probe (deadlocks, stuck
 * requests, warm-up) rather than a dependency: it is time-boxed like any other, but never
 * damped, and its criticality does not apply.
 */
interface ProbeStateIndicator extends HealthIndicator {

}
