/**
 * Resilience: Clambake's Resilience4j defaults, named outbound HTTP clients (and the clients
 * of Spring's HTTP service groups) that run every call through a bulkhead, a time limit, a
 * circuit breaker and a retry, and rate-limit awareness.
 */
@NullMarked
package dev.clambake.resilience;

import org.jspecify.annotations.NullMarked;
