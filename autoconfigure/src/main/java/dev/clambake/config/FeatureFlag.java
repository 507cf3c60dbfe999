package dev.clambake.config;

/**
 * One feature flag and where its value came from.
 *
 * @param name the flag's name, for example {@code new-checkout}
 * @param enabled whether the flag is on
 * @param origin where the value was set, for example
 * {@code System Environment Property "CLAMBAKE_FEATURES_NEW_CHECKOUT"}
 */
public record FeatureFlag(String name, boolean enabled, String origin) {

}
