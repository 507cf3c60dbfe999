package dev.clambake.resilience;

import org.springframework.http.HttpHeaders;

/**
 * Sees the status and headers of every response a named HTTP client receives, retried
 * attempts included.
 */
@FunctionalInterface
interface HttpResponseRecorder {

	void record(int status, HttpHeaders headers);

}
