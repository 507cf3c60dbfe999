/**
 * Correlation: a correlation id read from (or generated for) every inbound request, kept in
 * the MDC as {@code correlationId}, echoed in the response and carried to outbound calls and
 * across thread hops.
 */
@NullMarked
package dev.clambake.correlation;

import org.jspecify.annotations.NullMarked;
