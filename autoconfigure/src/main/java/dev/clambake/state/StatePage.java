package dev.clambake.state;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a listing.
 *
 * @param <T> the type of the items
 * @param items the items of this page, in order
 * @param nextPageToken the token that fetches the next page, or {@code null} on the last page
 */
public record StatePage<T>(List<T> items, @Nullable String nextPageToken) {

	public StatePage {
		items = List.copyOf(items);
	}

	/**
	 * Return whether another page follows this one.
	 * @return whether {@link #nextPageToken()} is set
	 */
	public boolean hasNext() {
		return this.nextPageToken != null;
	}

}
