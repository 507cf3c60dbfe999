package dev.clambake.metrics;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

import dev.clambake.config.ClambakeStartupSummary;
import dev.clambake.config.FastPaths;
import dev.clambake.testsupport.RunningApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prefilter in front of the actuator's endpoint mapping, on a real Spring MVC application
 * (Tomcat on a random port) with the endpoints Clambake exposes.
 */
class EndpointMappingPrefilterTests {

	private static RunningApplication app;

	@BeforeAll
	static void start() {
		app = RunningApplication.start(MvcApplication.class, WebApplicationType.SERVLET,
				"management.endpoints.web.exposure.include=health,info,prometheus,clambake,mappings");
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void actuatorMappingsArePrefiltered() {
		assertThat(app.context().getBean("webEndpointServletHandlerMapping"))
			.isInstanceOfSatisfying(EndpointMappingPrefilter.Prefiltered.class,
					(mapping) -> assertThat(mapping.getPrefix()).isEqualTo("/actuator"));
		// No @ControllerEndpoint: a mapping with no patterns, never asked
		assertThat(app.context().getBean("controllerEndpointHandlerMapping"))
			.isInstanceOfSatisfying(EndpointMappingPrefilter.Prefiltered.class,
					(mapping) -> assertThat(mapping.getPrefix()).isNull());
		// The application's own mapping is left alone
		assertThat(app.context().getBean("requestMappingHandlerMapping"))
			.isInstanceOf(RequestMappingHandlerMapping.class);
	}

	@Test
	void theFastPathIsActiveAndListedInTheStartUpSummary() {
		assertThat(app.context().getBean(FastPaths.class).activeNames()).contains(EndpointMappingPrefilter.NAME);
		assertThat(app.context().getBean(ClambakeStartupSummary.class).summary())
			.containsPattern("; fast paths: [a-z, -]*endpoint-mapping-prefilter");
	}

	@Test
	void switchedOffBootsMappingsStay() {
		try (RunningApplication off = RunningApplication.start(MvcApplication.class, WebApplicationType.SERVLET,
				"clambake.metrics.fast-paths.endpoint-mapping-prefilter=false")) {
			assertThat(off.context().getBean("webEndpointServletHandlerMapping"))
				.isInstanceOf(RequestMappingInfoHandlerMapping.class);
			assertThat(off.context().getBean(FastPaths.class).state(EndpointMappingPrefilter.NAME)).isNull();
		}
	}

	@Test
	void mappingWithoutPatternsIsNeverAsked() throws Exception {
		AtomicInteger lookups = new AtomicInteger();
		EndpointMappingPrefilter.Prefiltered prefiltered = EndpointMappingPrefilter.prefilter(counting(lookups));
		assertThat(prefiltered).isNotNull();
		assertThat(prefiltered.getHandler(request("/actuator/health"))).isNull();
		assertThat(prefiltered.getHandler(new MockHttpServletRequest("GET", "/api/hello"))).isNull();
		assertThat(lookups).hasValue(0);
	}

	@Test
	void onlyPathsUnderThePrefixReachTheMapping() throws Exception {
		AtomicInteger lookups = new AtomicInteger();
		HandlerMapping prefiltered = new EndpointMappingPrefilter.Prefiltered(counting(lookups), "/actuator");
		for (String path : new String[] { "/", "/api/hello", "/actuat", "/health" }) {
			assertThat(prefiltered.getHandler(request(path))).as(path).isNull();
		}
		assertThat(lookups).hasValue(0);
		// Paths under the prefix, and paths the mapping decodes or strips before matching
		for (String path : new String[] { "/actuator", "/actuator/health", "/actuator/%68ealth",
				"/actuator;v=1/health", "/%61ctuator/health" }) {
			prefiltered.getHandler(request(path));
		}
		assertThat(lookups).hasValue(5);
		// Without a parsed request path there is nothing to check against
		prefiltered.getHandler(new MockHttpServletRequest("GET", "/api/hello"));
		assertThat(lookups).hasValue(6);
	}

	@Test
	void applicationAndEndpointsAnswerAsBefore() throws Exception {
		assertThat(app.get("/api/hello").body()).isEqualTo("hello");
		assertThat(app.get("/api/nothing").statusCode()).isEqualTo(404);
		assertThat(app.get("/actuator").body()).contains("/actuator/health");
		assertThat(app.get("/actuator/health").body()).contains("\"status\"");
		assertThat(app.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(app.get("/actuator/%68ealth").statusCode()).isEqualTo(200);
		assertThat(app.get("/actuator/prometheus").body()).contains("http_server_requests_seconds_count");
		assertThat(app.get("/actuator/nothing").statusCode()).isEqualTo(404);
		// The endpoints' own mappings are still listed
		assertThat(app.get("/actuator/mappings").body()).contains("/actuator/prometheus").contains("/api/hello");
	}

	@Test
	void contextPathServletPathAndBasePathAreHonoured() throws Exception {
		try (RunningApplication moved = RunningApplication.start(MvcApplication.class, WebApplicationType.SERVLET,
				"server.servlet.context-path=/ctx", "spring.mvc.servlet.path=/app",
				"management.endpoints.web.base-path=/manage")) {
			assertThat(moved.context().getBean("webEndpointServletHandlerMapping"))
				.isInstanceOfSatisfying(EndpointMappingPrefilter.Prefiltered.class,
						(mapping) -> assertThat(mapping.getPrefix()).isEqualTo("/manage"));
			assertThat(moved.get("/ctx/app/api/hello").body()).isEqualTo("hello");
			assertThat(moved.get("/ctx/app/manage/health").body()).contains("\"status\"");
			assertThat(moved.get("/ctx/app/manage/health/readiness").statusCode()).isEqualTo(200);
			assertThat(moved.get("/ctx/app/actuator/health").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void endpointsOnTheManagementPortAreServedByBootsMappings() throws Exception {
		try (RunningApplication split = RunningApplication.start(MvcApplication.class, WebApplicationType.SERVLET,
				"management.server.port=0", "management.server.address=127.0.0.1")) {
			int managementPort = Integer
				.parseInt(split.context().getEnvironment().getRequiredProperty("local.management.port"));
			assertThat(split.get("/api/hello").body()).isEqualTo("hello");
			assertThat(split.get("/actuator/health").statusCode()).isEqualTo(404);
			assertThat(split.get(managementPort, "/actuator/health").body()).contains("\"status\"");
		}
	}

	@Test
	void literalPrefixStopsBeforeTheFirstSegmentThatMayMatchNothing() {
		assertThat(EndpointMappingPrefilter.literalPrefix("/actuator")).isEqualTo("/actuator");
		assertThat(EndpointMappingPrefilter.literalPrefix("/actuator/")).isEqualTo("/actuator");
		assertThat(EndpointMappingPrefilter.literalPrefix("/actuator/health/**")).isEqualTo("/actuator/health");
		assertThat(EndpointMappingPrefilter.literalPrefix("/actuator/health/{*path}")).isEqualTo("/actuator/health");
		assertThat(EndpointMappingPrefilter.literalPrefix("/actuator/heal*")).isEqualTo("/actuator");
		assertThat(EndpointMappingPrefilter.literalPrefix("/{*path}")).isEmpty();
	}

	// A mapping with no patterns that counts the lookups it is asked for
	private static RequestMappingHandlerMapping counting(AtomicInteger lookups) {
		return new RequestMappingHandlerMapping() {

			@Override
			protected HandlerMethod getHandlerInternal(HttpServletRequest request) throws Exception {
				lookups.incrementAndGet();
				return super.getHandlerInternal(request);
			}

		};
	}

	private static MockHttpServletRequest request(String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		ServletRequestPathUtils.parseAndCache(request);
		return request;
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	// The test class path holds JDBC for the state store's tests; this app has no database
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(HelloController.class)
	static class MvcApplication {

	}

	@RestController
	static class HelloController {

		@GetMapping("/api/hello")
		String hello() {
			return "hello";
		}

	}

}
