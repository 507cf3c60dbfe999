package dev.clambake.report;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A lease as {@code /actuator/clambake} shows it, read from the state store's lease table.
 *
 * @param name the lease's name
 * @param held whether it is held now, by the database's clock
 * @param holder its current or last holder, {@code null} in the summary
 * @param token the fencing token of its last acquisition, {@code null} in the summary
 * @param expiresAt when it expires or expired, {@code null} in the summary
 */
public record LeaseStatus(String name, boolean held, @Nullable String holder, @Nullable Long token,
		@Nullable Instant expiresAt) {

}
