package dev.clambake.correlation;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import org.jspecify.annotations.Nullable;

/**
 * Ends the correlation scope of a failed request once the container has finished with it.
 * The container logs an exception that escapes the filter chain after {@link CorrelationIdFilter}
 * has returned; the filter leaves the id in the MDC for such a request and this listener, which
 * the container calls on the request's thread when the request is destroyed, puts the MDC back
 * as it was. Requests this listener has not seen are not deferred, so no id outlives its request.
 */
public class CorrelationIdRequestListener implements ServletRequestListener {

	private static final String WATCHED = CorrelationIdRequestListener.class.getName() + ".watched";

	private static final String DEFERRED = CorrelationIdRequestListener.class.getName() + ".deferred";

	@Override
	public void requestInitialized(ServletRequestEvent event) {
		event.getServletRequest().setAttribute(WATCHED, Boolean.TRUE);
	}

	@Override
	public void requestDestroyed(ServletRequestEvent event) {
		ServletRequest request = event.getServletRequest();
		if (request.getAttribute(DEFERRED) instanceof Deferred deferred) {
			request.removeAttribute(DEFERRED);
			CorrelationIdScope.restore(deferred.previous());
		}
	}

	/**
	 * Hand the restoring of the MDC to the listener, if it watches the request and the request is
	 * not continuing asynchronously.
	 * @param request the failed request
	 * @param previous the MDC's id before the request's scope began
	 * @return whether the listener will restore the MDC
	 */
	static boolean deferRestore(ServletRequest request, @Nullable String previous) {
		if (request.getAttribute(WATCHED) == null || request.isAsyncStarted()
				|| request.getAttribute(DEFERRED) != null) {
			return false;
		}
		request.setAttribute(DEFERRED, new Deferred(previous));
		return true;
	}

	private record Deferred(@Nullable String previous) {

	}

}
