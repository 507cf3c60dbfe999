package dev.clambake.metrics;

import java.util.Iterator;
import java.util.List;

import dev.clambake.config.FastPaths;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Puts a path check in front of Spring Boot's actuator mappings for Spring MVC. Boot asks those
 * mappings (the endpoints', the additional health paths', the controller endpoints') before the
 * application's own on every request, and for a request outside the actuator's paths each one
 * tried every pattern it holds, then tried them again to explain the miss, before it gave up:
 * about 7% of a request thread's time on a trivial endpoint with Clambake's exposed endpoints.
 * Every pattern of such a mapping starts with the same literal path (the base path,
 * {@code /actuator}), so a request whose path does not start with it cannot match and is passed
 * on at once; a mapping with no patterns at all is never asked. Any other request, and anything
 * else asked of a mapping, goes to Boot's mapping unchanged.
 */
class EndpointMappingPrefilter implements BeanPostProcessor {

	static final String NAME = "endpoint-mapping-prefilter";

	static final String PROPERTY = "clambake.metrics.fast-paths.endpoint-mapping-prefilter";

	/**
	 * The package of Spring Boot's actuator mappings for Spring MVC: the endpoints', the
	 * additional health paths' and the controller endpoints'.
	 */
	static final String ACTUATOR_MAPPINGS_PACKAGE = AbstractWebMvcEndpointHandlerMapping.class.getPackageName();

	private final ObjectProvider<FastPaths> fastPaths;

	EndpointMappingPrefilter(ObjectProvider<FastPaths> fastPaths) {
		this.fastPaths = fastPaths;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof RequestMappingInfoHandlerMapping mapping && isActuatorMapping(mapping)) {
			Prefiltered prefiltered = prefilter(mapping);
			if (prefiltered != null) {
				FastPaths.from(this.fastPaths).active(NAME, PROPERTY, "Spring Boot's actuator mappings in "
						+ ACTUATOR_MAPPINGS_PACKAGE + " hold only patterns under the base path");
				return prefiltered;
			}
			FastPaths.from(this.fastPaths).steppedAside(NAME, PROPERTY, "The actuator mapping '" + beanName
					+ "' has no literal path all its patterns start with (a root base path, case-insensitive or"
					+ " Ant-style matching, or a default handler).");
		}
		return bean;
	}

	// Boot's public base class, and the other mappings of its package (controller endpoints')
	private static boolean isActuatorMapping(RequestMappingInfoHandlerMapping mapping) {
		return mapping instanceof AbstractWebMvcEndpointHandlerMapping
				|| ACTUATOR_MAPPINGS_PACKAGE.equals(mapping.getClass().getPackageName());
	}

	/**
	 * The mapping behind a check of the literal path all its patterns start with, or
	 * {@code null} when there is none worth checking (a root base path, case-insensitive or
	 * Ant-style matching, a default handler).
	 */
	static @Nullable Prefiltered prefilter(RequestMappingInfoHandlerMapping mapping) {
		PathPatternParser parser = mapping.getPatternParser();
		if (mapping.getDefaultHandler() != null || parser == null || !parser.isCaseSensitive()) {
			return null;
		}
		String common = null;
		for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
			for (String pattern : info.getPatternValues()) {
				String prefix = literalPrefix(pattern);
				common = (common != null) ? commonPrefix(common, prefix) : prefix;
			}
		}
		if (common == null) {
			return new Prefiltered(mapping, null);
		}
		return (common.length() > 1) ? new Prefiltered(mapping, common) : null;
	}

	/**
	 * The start of a pattern every matching path starts with: the segments before the first
	 * one holding a variable or a wildcard (which may match nothing, as {@code /**} and
	 * {@code {*path}} do), without a trailing slash.
	 */
	static String literalPrefix(String pattern) {
		int wildcard = indexOfAny(pattern, "{*?");
		String literal = (wildcard >= 0) ? pattern.substring(0, pattern.lastIndexOf('/', wildcard) + 1) : pattern;
		return literal.endsWith("/") ? literal.substring(0, literal.length() - 1) : literal;
	}

	private static int indexOfAny(String value, String chars) {
		for (int i = 0; i < value.length(); i++) {
			if (chars.indexOf(value.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}

	private static String commonPrefix(String a, String b) {
		int length = Math.min(a.length(), b.length());
		int i = 0;
		while (i < length && a.charAt(i) == b.charAt(i)) {
			i++;
		}
		return a.substring(0, i);
	}

	/**
	 * One of Boot's actuator mappings behind the path check. Iterable, so that
	 * {@code /actuator/mappings} still lists the endpoints' mappings.
	 */
	static final class Prefiltered implements HandlerMapping, Ordered, Iterable<HandlerMapping> {

		private final RequestMappingInfoHandlerMapping delegate;

		private final @Nullable String prefix;

		/**
		 * @param delegate the mapping
		 * @param prefix the literal path all its patterns start with, {@code null} when it has
		 * no patterns and matches nothing
		 */
		Prefiltered(RequestMappingInfoHandlerMapping delegate, @Nullable String prefix) {
			this.delegate = delegate;
			this.prefix = prefix;
		}

		@Override
		public @Nullable HandlerExecutionChain getHandler(HttpServletRequest request) throws Exception {
			if (this.prefix == null || cannotMatch(request, this.prefix)) {
				return null;
			}
			return this.delegate.getHandler(request);
		}

		// The path Spring MVC matches patterns against, when DispatcherServlet has parsed it and
		// it is plain: encoded characters and ';' parameters are left to the mapping itself
		private static boolean cannotMatch(HttpServletRequest request, String prefix) {
			if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
				return false;
			}
			String path = ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication().value();
			return !path.startsWith(prefix) && path.indexOf('%') < 0 && path.indexOf(';') < 0;
		}

		@Override
		public boolean usesPathPatterns() {
			return this.delegate.usesPathPatterns();
		}

		@Override
		public int getOrder() {
			return this.delegate.getOrder();
		}

		@Override
		public Iterator<HandlerMapping> iterator() {
			return List.<HandlerMapping>of(this.delegate).iterator();
		}

		@Nullable String getPrefix() {
			return this.prefix;
		}

	}

}
