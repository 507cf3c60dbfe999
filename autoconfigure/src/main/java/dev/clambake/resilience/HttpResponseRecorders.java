package dev.clambake.resilience;

import org.jspecify.annotations.Nullable;

/**
 * Gives each named HTTP client its {@link HttpResponseRecorder}, if any.
 */
@FunctionalInterface
interface HttpResponseRecorders {

	@Nullable HttpResponseRecorder forClient(String name);

}
