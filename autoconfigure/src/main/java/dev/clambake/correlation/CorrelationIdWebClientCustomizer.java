package dev.clambake.correlation;

import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adds the {@link CorrelationIdExchangeFilter} to every {@link WebClient} built from Spring
 * Boot's builder.
 */
public class CorrelationIdWebClientCustomizer implements WebClientCustomizer {

	private final CorrelationIdExchangeFilter filter;

	/**
	 * Create a customizer.
	 * @param filter adds the correlation id to each request
	 */
	public CorrelationIdWebClientCustomizer(CorrelationIdExchangeFilter filter) {
		this.filter = filter;
	}

	@Override
	public void customize(WebClient.Builder webClientBuilder) {
		webClientBuilder.filter(this.filter);
	}

}
