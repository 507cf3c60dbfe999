package dev.clambake.correlation;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * WebFlux filter that resolves the request's correlation id, echoes it in the response and
 * writes it into the Reactor context under {@link CorrelationIdThreadLocalAccessor#KEY}; with
 * Reactor's automatic context propagation the MDC holds it in every operator of the request.
 */
public class CorrelationIdWebFilter implements WebFilter, Ordered {

	/**
	 * Exchange attribute holding the resolved id.
	 */
	public static final String ATTRIBUTE = CorrelationIdWebFilter.class.getName() + ".id";

	private final CorrelationIds correlationIds;

	/**
	 * Create a filter.
	 * @param correlationIds resolves inbound ids
	 */
	public CorrelationIdWebFilter(CorrelationIds correlationIds) {
		this.correlationIds = correlationIds;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return Mono.deferContextual((context) -> {
			// CorrelationIdHttpHandlerDecorator resolved it already, around the error handlers too
			String id = context.<String>getOrEmpty(CorrelationIdThreadLocalAccessor.KEY)
				.orElseGet(() -> this.correlationIds.resolve(exchange.getRequest().getHeaders()::getFirst));
			exchange.getAttributes().put(ATTRIBUTE, id);
			exchange.getResponse().getHeaders().set(this.correlationIds.headerName(), id);
			return chain.filter(exchange).contextWrite(Context.of(CorrelationIdThreadLocalAccessor.KEY, id));
		});
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
