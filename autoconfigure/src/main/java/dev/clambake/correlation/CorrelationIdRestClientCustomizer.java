package dev.clambake.correlation;

import java.io.IOException;

import org.slf4j.MDC;

import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Adds the current correlation id to every request of a {@link RestClient} or
 * {@link RestTemplate} built from Spring Boot's builders, unless the caller set the header.
 */
public class CorrelationIdRestClientCustomizer
		implements RestClientCustomizer, RestTemplateCustomizer, ClientHttpRequestInterceptor {

	private final CorrelationIds correlationIds;

	/**
	 * Create a customizer.
	 * @param correlationIds validates the id before it leaves the process
	 */
	public CorrelationIdRestClientCustomizer(CorrelationIds correlationIds) {
		this.correlationIds = correlationIds;
	}

	@Override
	public void customize(RestClient.Builder restClientBuilder) {
		restClientBuilder.requestInterceptor(this);
	}

	@Override
	public void customize(RestTemplate restTemplate) {
		restTemplate.getInterceptors().add(this);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		String id = MDC.get(CorrelationIds.MDC_KEY);
		String header = this.correlationIds.headerName();
		if (this.correlationIds.isValid(id) && !request.getHeaders().containsHeader(header)) {
			request.getHeaders().set(header, id);
		}
		return execution.execute(request, body);
	}

}
