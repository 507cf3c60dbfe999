package dev.clambake.report;

/**
 * Whether a capability is on, and why.
 *
 * @param name the capability, for example {@code health}
 * @param active whether it is on
 * @param reason why it is on or off: a property, or a missing library
 */
public record CapabilityStatus(String name, boolean active, String reason) {

}
