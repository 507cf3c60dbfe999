package dev.clambake.report;

import org.jspecify.annotations.Nullable;

/**
 * The effective value of a key setting and where it came from: a property source, or else
 * the default the property's configuration metadata declares.
 *
 * @param name the property name
 * @param value the effective value, masked when secret; when not set, what that means, or
 * {@code null}
 * @param source the kind of source: {@code clambake default} (Clambake's default properties or
 * the default of a {@code clambake.*} property), {@code spring boot default} (the declared
 * default of another property), {@code file}, {@code environment variable},
 * {@code command line}, {@code system property}, {@code not set} or the property source's name
 * @param origin the exact origin when known: file and line, the environment variable's name,
 * or the class that declares a default
 */
public record Setting(String name, @Nullable String value, String source, @Nullable String origin) {

}
