package dev.clambake.correlation;

import reactor.util.context.Context;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;

/**
 * Resolves the request's correlation id around the whole WebFlux handling of a request and
 * writes it into the Reactor context, so the error handlers, which run outside the web filter
 * chain, log an unhandled exception with the id. {@link CorrelationIdWebFilter} reuses the id
 * it finds in the context.
 */
public class CorrelationIdHttpHandlerDecorator implements HttpHandlerDecoratorFactory {

	private final CorrelationIds correlationIds;

	/**
	 * Create a decorator.
	 * @param correlationIds resolves inbound ids
	 */
	public CorrelationIdHttpHandlerDecorator(CorrelationIds correlationIds) {
		this.correlationIds = correlationIds;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			String id = this.correlationIds.resolve(request.getHeaders()::getFirst);
			return handler.handle(request, response)
				.contextWrite(Context.of(CorrelationIdThreadLocalAccessor.KEY, id));
		};
	}

}
