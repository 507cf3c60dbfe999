package dev.clambake.correlation;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adds the correlation id to every request of a {@link WebClient}: the one in the Reactor
 * context (WebFlux), else the subscribing thread's MDC (servlet), unless the caller set the
 * header. Needs only Spring Framework's {@code WebClient}: {@link CorrelationIdWebClientCustomizer}
 * adds it to Spring Boot's builder, and Clambake's named {@code WebClient}s add it themselves
 * when there is no such builder.
 */
public class CorrelationIdExchangeFilter implements ExchangeFilterFunction {

	private final CorrelationIds correlationIds;

	/**
	 * Create a filter.
	 * @param correlationIds validates the id before it leaves the process
	 */
	public CorrelationIdExchangeFilter(CorrelationIds correlationIds) {
		this.correlationIds = correlationIds;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.deferContextual((context) -> {
			@Nullable String id = context.getOrDefault(CorrelationIdThreadLocalAccessor.KEY, null);
			if (id == null) {
				id = MDC.get(CorrelationIds.MDC_KEY);
			}
			String header = this.correlationIds.headerName();
			if (!this.correlationIds.isValid(id) || request.headers().containsHeader(header)) {
				return next.exchange(request);
			}
			return next.exchange(ClientRequest.from(request).header(header, id).build());
		});
	}

}
