package dev.clambake.report;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the probes watch, as {@code /actuator/clambake} shows it.
 *
 * @param critical health components whose DOWN takes readiness DOWN: those configured
 * {@code critical} and those Clambake's capabilities declare (the state store's)
 * @param optional health components whose DOWN only makes the service {@code DEGRADED}
 * @param deadlockDetection whether a deadlock turns liveness DOWN
 * @param warmUp how warm-up went ({@code done in 840ms (1 request x 10)}), or {@code off}
 */
public record Probes(List<String> critical, List<String> optional, boolean deadlockDetection,
		@Nullable String warmUp) {

}
