package dev.clambake.metrics;

import java.util.Iterator;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

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
 * Puts a path check in front of Spring Boot's actuator endpoint mapping for Spring MVC. Boot
 * asks that mapping before the application's own on every request, and for a request outside
 * the actuator's paths it tries every exposed endpoint's pattern, then tries them again to
 * explain the miss, before it gives up: about 8% of a request thread's time on a trivial
 * endpoint with Clambake's exposed endpoints. Every pattern of that mapping starts with the
 * same literal path (the base path, {@code /actuator}), so a request whose path does not
 * start with it cannot match and is passed on at once. Any other request, and anything else
 * asked of the mapping, goes to Boot's mapping unchanged.
 */
class EndpointMappingPrefilter implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AbstractWebMvcEndpointHandlerMapping mapping) {
			String prefix = commonPrefix(mapping);
			if (prefix != null) {
				return new Prefiltered(mapping, prefix);
			}
		}
		return bean;
	}

	/**
	 * The literal path every pattern of the mapping starts with, or {@code null} when there is
	 * none worth checking (no patterns, a root base path, case-insensitive or Ant-style
	 * matching).
	 */
	static @Nullable String commonPrefix(RequestMappingInfoHandlerMapping mapping) {
		PathPatternParser parser = mapping.getPatternParser();
		if (parser == null || !parser.isCaseSensitive()) {
			return null;
		}
		String common = null;
		for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
			for (String pattern : info.getPatternValues()) {
				String prefix = literalPrefix(pattern);
				common = (common != null) ? commonPrefix(common, prefix) : prefix;
			}
		}
		return (common != null && common.length() > 1) ? common : null;
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
	 * Boot's endpoint mapping behind the path check. Iterable, so that
	 * {@code /actuator/mappings} still lists the endpoints' mappings.
	 */
	static final class Prefiltered implements HandlerMapping, Ordered, Iterable<HandlerMapping> {

		private final RequestMappingInfoHandlerMapping delegate;

		private final String prefix;

		Prefiltered(RequestMappingInfoHandlerMapping delegate, String prefix) {
			this.delegate = delegate;
			this.prefix = prefix;
		}

		@Override
		public @Nullable HandlerExecutionChain getHandler(HttpServletRequest request) throws Exception {
			if (cannotMatch(request)) {
				return null;
			}
			return this.delegate.getHandler(request);
		}

		// The path Spring MVC matches patterns against, when DispatcherServlet has parsed it and
		// it is plain: encoded characters and ';' parameters are left to the mapping itself
		private boolean cannotMatch(HttpServletRequest request) {
			if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
				return false;
			}
			String path = ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication().value();
			return !path.startsWith(this.prefix) && path.indexOf('%') < 0 && path.indexOf(';') < 0;
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

		String getPrefix() {
			return this.prefix;
		}

	}

}
