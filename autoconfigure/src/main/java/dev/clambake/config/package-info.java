/**
 * Configuration: Clambake's lowest-precedence defaults, {@code clambake.toml} and
 * {@code .clambakerc} files, {@code CLAMBAKE_*} environment variables, validation with
 * failure analysis, secret masking and feature flags.
 */
@NullMarked
package dev.clambake.config;

import org.jspecify.annotations.NullMarked;
