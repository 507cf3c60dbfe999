package dev.clambake.correlation;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.hamcrest.Matchers.matchesRegex;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;

/**
 * {@code @WebMvcTest} includes correlation, as Spring Boot's slice includes the other
 * auto-configurations that shape a request: a controller test sees the id that production would.
 */
@WebMvcTest(properties = "clambake.correlation.header-name=X-Trace-Ref")
class CorrelationWebMvcTestSliceTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void handlerSeesTheCallersIdAndTheResponseEchoesIt() throws Exception {
		this.mvc.perform(get("/id").header("X-Trace-Ref", "slice-1"))
			.andExpect(header().string("X-Trace-Ref", "slice-1"))
			.andExpect(content().string("slice-1"));
	}

	@Test
	void badIdIsReplacedWithAGeneratedOne() throws Exception {
		this.mvc.perform(get("/id").header("X-Trace-Ref", "bad\nid"))
			.andExpect(header().string("X-Trace-Ref", matchesRegex("[0-9a-f]{32}")))
			.andExpect(content().string(matchesRegex("[0-9a-f]{32}")));
	}

	@SpringBootConfiguration
	@Import(IdController.class)
	static class SliceApplication {

	}

	@RestController
	static class IdController {

		@GetMapping("/id")
		String id() {
			return String.valueOf(MDC.get(CorrelationIds.MDC_KEY));
		}

	}

}
