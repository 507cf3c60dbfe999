/**
 * Shutdown: readiness flips at once, a drain delay while routing catches up, Spring Boot's
 * graceful shutdown, then ordered {@link dev.clambake.shutdown.ShutdownHook shutdown hooks}
 * with timeouts and a bounded wait for {@link dev.clambake.shutdown.InFlightWork tracked work}.
 */
@NullMarked
package dev.clambake.shutdown;

import org.jspecify.annotations.NullMarked;
