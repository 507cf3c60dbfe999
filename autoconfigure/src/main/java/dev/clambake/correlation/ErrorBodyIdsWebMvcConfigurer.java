package dev.clambake.correlation;

import java.util.List;

import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Registers {@link ErrorBodyIds} with Spring MVC, so every problem-details response it renders
 * carries the correlation id and the trace id.
 */
public class ErrorBodyIdsWebMvcConfigurer implements WebMvcConfigurer {

	private final ErrorBodyIds ids;

	/**
	 * Create an instance.
	 * @param ids adds the ids
	 */
	public ErrorBodyIdsWebMvcConfigurer(ErrorBodyIds ids) {
		this.ids = ids;
	}

	@Override
	public void addErrorResponseInterceptors(List<ErrorResponse.Interceptor> interceptors) {
		interceptors.add(this.ids);
	}

}
