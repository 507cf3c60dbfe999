package dev.clambake.resilience;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;

/**
 * Adds the {@code client} key to every {@code http.client.requests} observation of a
 * {@code WebClient}, as {@link HttpClientObservationFilter} does for a {@code RestClient}:
 * the named client's name, or {@value HttpClientObservationFilter#NONE} for other clients.
 */
final class WebClientObservationFilter implements ObservationFilter {

	@Override
	public Observation.Context map(Observation.Context context) {
		if (context instanceof ClientRequestObservationContext clientContext) {
			ClientRequest request = clientContext.getRequest();
			Object name = (request != null) ? request.attribute(ClambakeHttpClients.CLIENT_ATTRIBUTE).orElse(null)
					: null;
			clientContext.addLowCardinalityKeyValue(KeyValue.of(HttpClientObservationFilter.KEY,
					(name != null) ? name.toString() : HttpClientObservationFilter.NONE));
		}
		return context;
	}

}
