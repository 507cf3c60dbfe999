package dev.clambake.report;

import org.jspecify.annotations.Nullable;

/**
 * The effective value of a key setting and where it came from.
 *
 * @param name the property name
 * @param value the value, masked when secret, or {@code null} when not set
 * @param source the kind of source: {@code clambake default}, {@code file},
 * {@code environment variable}, {@code command line}, {@code not set} or the property source's name
 * @param origin the exact origin (file and line, variable name) when known
 */
public record Setting(String name, @Nullable String value, String source, @Nullable String origin) {

}
