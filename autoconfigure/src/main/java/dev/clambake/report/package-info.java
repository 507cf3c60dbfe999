/**
 * The production-readiness report: what Clambake has switched on, the effective key settings
 * with their sources, and findings about risky configuration, at start-up and on
 * {@code /actuator/clambake}.
 */
@NullMarked
package dev.clambake.report;

import org.jspecify.annotations.NullMarked;
