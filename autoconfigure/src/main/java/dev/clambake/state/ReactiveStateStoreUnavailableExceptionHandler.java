package dev.clambake.state;

import java.time.Duration;

import dev.clambake.correlation.CorrelationIdWebFilter;
import dev.clambake.correlation.CorrelationIds;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers a {@link StateStoreUnavailableException} in a WebFlux application with
 * {@code 503 Service Unavailable}, a {@code Retry-After} header and RFC 9457 problem details
 * carrying the correlation id of the exchange. It has the lowest precedence, so an
 * application's own exception handlers win.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ReactiveStateStoreUnavailableExceptionHandler {

	private final Duration retryAfter;

	public ReactiveStateStoreUnavailableExceptionHandler(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

	@ExceptionHandler(StateStoreUnavailableException.class)
	public ResponseEntity<ProblemDetail> unavailable(StateStoreUnavailableException ex, ServerWebExchange exchange) {
		String correlationId = (exchange.getAttribute(CorrelationIdWebFilter.ATTRIBUTE) instanceof String id) ? id
				: MDC.get(CorrelationIds.MDC_KEY);
		return StateStoreUnavailableExceptionHandler.response(this.retryAfter, correlationId);
	}

}
