package dev.clambake.correlation;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.restclient.test.autoconfigure.RestClientTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.header;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.headerDoesNotExist;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;

/**
 * {@code @RestClientTest} includes correlation: a client test sees the header that
 * production's calls carry.
 */
@RestClientTest(UpstreamService.class)
class CorrelationRestClientTestSliceTests {

	@Autowired
	private UpstreamService service;

	@Autowired
	private MockRestServiceServer server;

	@AfterEach
	void clearMdc() {
		MDC.remove(CorrelationIds.MDC_KEY);
	}

	@Test
	void callMadeWithinARequestCarriesItsId() {
		this.server.expect(requestTo("/status"))
			.andExpect(header("X-Correlation-ID", "slice-1"))
			.andRespond(withSuccess("up", MediaType.TEXT_PLAIN));
		MDC.put(CorrelationIds.MDC_KEY, "slice-1");
		assertThat(this.service.status()).isEqualTo("up");
		this.server.verify();
	}

	@Test
	void callMadeOutsideARequestCarriesNoId() {
		this.server.expect(requestTo("/status"))
			.andExpect(headerDoesNotExist("X-Correlation-ID"))
			.andRespond(withSuccess("up", MediaType.TEXT_PLAIN));
		assertThat(this.service.status()).isEqualTo("up");
		this.server.verify();
	}

	@SpringBootConfiguration
	@Import(UpstreamService.class)
	static class SliceApplication {

	}

}

@Service
class UpstreamService {

	private final RestClient client;

	UpstreamService(RestClient.Builder builder) {
		this.client = builder.build();
	}

	String status() {
		return this.client.get().uri("/status").retrieve().body(String.class);
	}

}
