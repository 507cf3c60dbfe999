package dev.clambake.state;

import java.time.Duration;

import dev.clambake.correlation.CorrelationIds;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a {@link StateStoreUnavailableException} in a Spring MVC application with
 * {@code 503 Service Unavailable}, a {@code Retry-After} header and RFC 9457 problem details
 * carrying the correlation id. It has the lowest precedence, so an application's own exception
 * handlers win.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class StateStoreUnavailableExceptionHandler {

	private final Duration retryAfter;

	public StateStoreUnavailableExceptionHandler(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

	@ExceptionHandler(StateStoreUnavailableException.class)
	public ResponseEntity<ProblemDetail> unavailable(StateStoreUnavailableException ex) {
		return response(this.retryAfter, MDC.get(CorrelationIds.MDC_KEY));
	}

	static ResponseEntity<ProblemDetail> response(Duration retryAfter, @Nullable String correlationId) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The state store is unavailable; try again later");
		problem.setTitle("State store unavailable");
		if (correlationId != null) {
			problem.setProperty("correlationId", correlationId);
		}
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString((retryAfter.toMillis() + 999) / 1000))
			.body(problem);
	}

}
