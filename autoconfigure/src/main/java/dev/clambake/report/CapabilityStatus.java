package dev.clambake.report;

import org.jspecify.annotations.Nullable;

/**
 * Whether a capability is on, and why.
 *
 * @param name the capability, for example {@code health}
 * @param active whether it is on
 * @param reason why it is on or off: a property, or a missing library; {@code null} in the
 * summary of the report shown without details
 */
public record CapabilityStatus(String name, boolean active, @Nullable String reason) {

}
