package dev.clambake.resilience;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;

import org.springframework.http.client.observation.ClientRequestObservationContext;

/**
 * Adds the {@code client} key to every {@code http.client.requests} observation of a
 * {@code RestClient}: the named client's name, or {@value #NONE} for other clients, so every
 * meter of that name carries the same tag keys (Prometheus requires it).
 */
final class HttpClientObservationFilter implements ObservationFilter {

	static final String KEY = "client";

	static final String NONE = "none";

	@Override
	public Observation.Context map(Observation.Context context) {
		if (context instanceof ClientRequestObservationContext clientContext) {
			Object name = (clientContext.getCarrier() != null)
					? clientContext.getCarrier().getAttributes().get(ClambakeHttpClients.CLIENT_ATTRIBUTE) : null;
			clientContext.addLowCardinalityKeyValue(KeyValue.of(KEY, (name != null) ? name.toString() : NONE));
		}
		return context;
	}

}
