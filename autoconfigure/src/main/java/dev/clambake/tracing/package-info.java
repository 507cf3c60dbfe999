/**
 * Tracing: OpenTelemetry through Micrometer Tracing, OTLP/HTTP export when an endpoint is
 * configured, finished spans as log lines for local development.
 */
@NullMarked
package dev.clambake.tracing;

import org.jspecify.annotations.NullMarked;
