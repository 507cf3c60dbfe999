/**
 * Metrics: common tags, SLO histograms, operation timing with {@code @Observed} and
 * {@link dev.clambake.metrics.Operations}, slow-operation detection, operation lifecycle
 * events and feature-flag gauges.
 */
@NullMarked
package dev.clambake.metrics;

import org.jspecify.annotations.NullMarked;
