package dev.clambake.health;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records each request's start while it holds its thread, for the stuck-request check. Costs
 * one map entry per request; the check reads the map only when liveness is asked.
 */
final class StuckRequestFilter extends OncePerRequestFilter {

	private final InFlightRequests requests;

	StuckRequestFilter(InFlightRequests requests) {
		this.requests = requests;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Object token = this.requests.start(request.getMethod() + " " + request.getRequestURI());
		try {
			chain.doFilter(request, response);
		}
		finally {
			// An async request lets go of its thread here: only threads held count as stuck
			this.requests.end(token);
		}
	}

}
