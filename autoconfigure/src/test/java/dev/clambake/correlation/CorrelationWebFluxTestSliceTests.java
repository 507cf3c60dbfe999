package dev.clambake.correlation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @WebFluxTest} includes correlation, as Spring Boot's slice includes the other
 * auto-configurations that shape a request: a controller test sees the id that production would,
 * in the response and, through Reactor's automatic context propagation, in the MDC.
 */
@WebFluxTest(properties = "clambake.correlation.header-name=X-Trace-Ref")
class CorrelationWebFluxTestSliceTests {

	@Autowired
	private WebTestClient client;

	@BeforeAll
	static void disableContextPropagationLeftOnByEarlierTests() {
		// A global hook: the slice must switch it on itself, as the application would
		Hooks.disableAutomaticContextPropagation();
	}

	@Test
	void handlerSeesTheCallersIdAndTheResponseEchoesIt() {
		this.client.get()
			.uri("/id")
			.header("X-Trace-Ref", "slice-1")
			.exchange()
			.expectHeader()
			.valueEquals("X-Trace-Ref", "slice-1")
			.expectBody(String.class)
			.isEqualTo("slice-1");
	}

	@Test
	void missingIdIsGenerated() {
		String body = this.client.get()
			.uri("/id")
			.exchange()
			.expectHeader()
			.valueMatches("X-Trace-Ref", "[0-9a-f]{32}")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).matches("[0-9a-f]{32}");
	}

	@SpringBootConfiguration
	@Import(IdController.class)
	static class SliceApplication {

	}

	@RestController
	static class IdController {

		@GetMapping("/id")
		Mono<String> id() {
			return Mono.fromSupplier(() -> String.valueOf(MDC.get(CorrelationIds.MDC_KEY)));
		}

	}

}
