package dev.clambake.correlation;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Servlet filter that resolves the request's correlation id, echoes it in the response, and
 * holds it in the MDC for exactly the time the request is processed on this thread, including
 * async and error dispatches (which reuse the id of the original request). When the request
 * fails and a {@link CorrelationIdRequestListener} watches it, the id stays in the MDC until the
 * container has logged the failure and the listener sees the request end, so the container's
 * ERROR line carries the id too.
 */
public class CorrelationIdFilter extends OncePerRequestFilter {

	/**
	 * Request attribute holding the resolved id, so later dispatches of the request reuse it.
	 */
	public static final String ATTRIBUTE = CorrelationIdFilter.class.getName() + ".id";

	private final CorrelationIds correlationIds;

	/**
	 * Create a filter.
	 * @param correlationIds resolves inbound ids
	 */
	public CorrelationIdFilter(CorrelationIds correlationIds) {
		this.correlationIds = correlationIds;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = (request.getAttribute(ATTRIBUTE) instanceof String existing) ? existing : null;
		if (id == null) {
			id = this.correlationIds.resolve(request::getHeader);
			request.setAttribute(ATTRIBUTE, id);
		}
		if (!response.isCommitted()) {
			response.setHeader(this.correlationIds.headerName(), id);
		}
		String previous = MDC.get(CorrelationIds.MDC_KEY);
		MDC.put(CorrelationIds.MDC_KEY, id);
		boolean completed = false;
		try {
			chain.doFilter(request, response);
			completed = true;
		}
		finally {
			// The container logs an unhandled exception after the filter chain returns; on the
			// request's own dispatch the listener restores the MDC once the request is destroyed,
			// on the same thread
			if (completed || request.getDispatcherType() != DispatcherType.REQUEST
					|| !CorrelationIdRequestListener.deferRestore(request, previous)) {
				CorrelationIdScope.restore(previous);
			}
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

}
