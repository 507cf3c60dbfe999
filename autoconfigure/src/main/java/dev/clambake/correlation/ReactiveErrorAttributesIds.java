package dev.clambake.correlation;

import java.util.Map;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webflux.error.DefaultErrorAttributes;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Spring Boot's WebFlux error attributes with the correlation id and the trace id added: the
 * body of its error web exception handler.
 */
public class ReactiveErrorAttributesIds extends DefaultErrorAttributes {

	private final ErrorBodyIds ids;

	/**
	 * Create an instance.
	 * @param ids adds the ids
	 */
	public ReactiveErrorAttributesIds(ErrorBodyIds ids) {
		this.ids = ids;
	}

	@Override
	public Map<String, Object> getErrorAttributes(ServerRequest request, ErrorAttributeOptions options) {
		Map<String, Object> attributes = super.getErrorAttributes(request, options);
		Map<String, Object> exchange = request.exchange().getAttributes();
		this.ids.addTo(attributes,
				(exchange.get(CorrelationIdWebFilter.ATTRIBUTE) instanceof String id) ? id : null,
				ServerRequestObservationContext.findCurrent(exchange).orElse(null));
		return attributes;
	}

}
