package dev.clambake.correlation;

import java.util.List;

import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * Registers {@link ErrorBodyIds} with WebFlux, so every problem-details response it renders
 * carries the correlation id and the trace id.
 */
public class ErrorBodyIdsWebFluxConfigurer implements WebFluxConfigurer {

	private final ErrorBodyIds ids;

	/**
	 * Create an instance.
	 * @param ids adds the ids
	 */
	public ErrorBodyIdsWebFluxConfigurer(ErrorBodyIds ids) {
		this.ids = ids;
	}

	@Override
	public void addErrorResponseInterceptors(List<ErrorResponse.Interceptor> interceptors) {
		interceptors.add(this.ids);
	}

}
