package dev.clambake.correlation;

import java.util.Map;

import io.micrometer.observation.Observation;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Spring Boot's servlet error attributes with the correlation id and the trace id added: the
 * body of its error controller.
 */
public class ServletErrorAttributesIds extends DefaultErrorAttributes {

	private final ErrorBodyIds ids;

	/**
	 * Create an instance.
	 * @param ids adds the ids
	 */
	public ServletErrorAttributesIds(ErrorBodyIds ids) {
		this.ids = ids;
	}

	@Override
	public Map<String, Object> getErrorAttributes(WebRequest webRequest, ErrorAttributeOptions options) {
		Map<String, Object> attributes = super.getErrorAttributes(webRequest, options);
		Object id = webRequest.getAttribute(CorrelationIdFilter.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		Object observation = webRequest.getAttribute(ServerHttpObservationFilter.CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE,
				RequestAttributes.SCOPE_REQUEST);
		this.ids.addTo(attributes, (id instanceof String text) ? text : null,
				(observation instanceof Observation.Context context) ? context : null);
		return attributes;
	}

}
