package dev.clambake.state;

import org.jspecify.annotations.Nullable;

/**
 * A write carrying a {@link StateFence} was refused because its lease has since expired by the
 * database's clock or passed to another holder; nothing was written.
 */
public class FencedWriteRefusedException extends StateStoreException {

	private final StateFence fence;

	private final @Nullable String currentHolder;

	private final long currentToken;

	public FencedWriteRefusedException(String operation, StateFence fence, @Nullable String currentHolder,
			long currentToken, boolean expired) {
		super(message(operation, fence, currentHolder, currentToken, expired));
		this.fence = fence;
		this.currentHolder = currentHolder;
		this.currentToken = currentToken;
	}

	private static String message(String operation, StateFence fence, @Nullable String currentHolder,
			long currentToken, boolean expired) {
		String now;
		if (currentHolder == null) {
			now = "the lease does not exist";
		}
		else if (currentToken != fence.token() || !currentHolder.equals(fence.holder())) {
			now = "its current token is " + currentToken + ", held by '" + currentHolder + "'"
					+ (expired ? " (expired)" : "");
		}
		else {
			now = "the lease expired by the database's clock";
		}
		return "Fenced " + operation + " refused on lease '" + fence.lease() + "': presented token " + fence.token()
				+ " of holder '" + fence.holder() + "' but " + now + "; nothing was written";
	}

	/**
	 * Return the fence the write carried.
	 * @return the fence
	 */
	public StateFence getFence() {
		return this.fence;
	}

	/**
	 * Return the lease's holder when the write was refused.
	 * @return the current holder, or {@code null} when the lease does not exist
	 */
	public @Nullable String getCurrentHolder() {
		return this.currentHolder;
	}

	/**
	 * Return the lease's fencing token when the write was refused.
	 * @return the current token, 0 when the lease does not exist
	 */
	public long getCurrentToken() {
		return this.currentToken;
	}

}
