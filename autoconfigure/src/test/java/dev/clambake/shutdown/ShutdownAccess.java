package dev.clambake.shutdown;

/**
 * Lets tests of other packages begin shutdown's refusal of new tracked work.
 */
public final class ShutdownAccess {

	private ShutdownAccess() {
	}

	public static void refuseNew(InFlightWork inFlightWork) {
		inFlightWork.refuseNew();
	}

}
