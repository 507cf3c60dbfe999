/**
 * The Clambake sample service.
 */
@NullMarked
package dev.clambake.sample;

import org.jspecify.annotations.NullMarked;
