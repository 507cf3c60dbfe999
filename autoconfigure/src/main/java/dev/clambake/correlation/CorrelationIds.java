package dev.clambake.correlation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Validates, generates and resolves correlation ids. An inbound value is accepted only when it
 * is 1 to {@code maxLength} characters from {@code [A-Za-z0-9._:-]}; anything else is replaced
 * by a generated id and never echoed, logged raw or propagated.
 */
public final class CorrelationIds {

	/**
	 * The MDC key holding the current request's correlation id.
	 */
	public static final String MDC_KEY = "correlationId";

	/**
	 * The default longest inbound id accepted.
	 */
	public static final int DEFAULT_MAX_LENGTH = 128;

	/**
	 * How many characters of a rejected value the debug line shows, escaped.
	 */
	static final int LOGGED_PREFIX_LENGTH = 32;

	private static final Log logger = LogFactory.getLog(CorrelationIds.class);

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private final String headerName;

	private final List<String> headerNames;

	private final int maxLength;

	/**
	 * Create an instance from the capability's properties.
	 * @param properties the properties
	 */
	public CorrelationIds(ClambakeCorrelationProperties properties) {
		this.headerName = properties.getHeaderName();
		List<String> names = new ArrayList<>();
		names.add(properties.getHeaderName());
		names.addAll(properties.getAcceptedHeaders());
		this.headerNames = List.copyOf(names);
		this.maxLength = properties.getMaxLength();
	}

	/**
	 * The header the id is echoed in and sent on outbound calls.
	 * @return the header name
	 */
	public String headerName() {
		return this.headerName;
	}

	/**
	 * Return the id for an inbound request: the first valid value of the accepted headers, in
	 * order, or a generated one. An invalid value is replaced and reported in one debug line,
	 * escaped and truncated.
	 * @param headers the request's header values by name
	 * @return a valid correlation id
	 */
	public String resolve(Function<String, @Nullable String> headers) {
		for (String name : this.headerNames) {
			String value = headers.apply(name);
			if (value == null) {
				continue;
			}
			if (isValid(value)) {
				return value;
			}
			String generated = generate();
			if (logger.isDebugEnabled()) {
				logger.debug("Replaced invalid " + name + " header (" + value.length() + " chars, starting \""
						+ escape(value) + "\") with generated correlation id " + generated);
			}
			return generated;
		}
		return generate();
	}

	/**
	 * Whether a value may be used as a correlation id.
	 * @param value the candidate
	 * @return {@code true} when it is 1 to max-length characters from {@code [A-Za-z0-9._:-]}
	 */
	public boolean isValid(@Nullable String value) {
		if (value == null || value.isEmpty() || value.length() > this.maxLength) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			if (!isIdChar(value.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Generate a fresh id: 32 lower-case hex digits (128 random bits).
	 * @return a new id
	 */
	public static String generate() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		char[] chars = new char[32];
		long high = random.nextLong();
		long low = random.nextLong();
		for (int i = 0; i < 16; i++) {
			chars[15 - i] = HEX[(int) (high >>> (i * 4)) & 0xf];
			chars[31 - i] = HEX[(int) (low >>> (i * 4)) & 0xf];
		}
		return new String(chars);
	}

	/**
	 * Escape the start of a rejected value for a log line: id characters stay, every other
	 * character (CR, LF, quotes, {@code $}, braces, non-ASCII) becomes {@code \\uXXXX}, so the
	 * line can neither be split nor carry the raw value.
	 */
	static String escape(String value) {
		StringBuilder escaped = new StringBuilder();
		int length = Math.min(value.length(), LOGGED_PREFIX_LENGTH);
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (isIdChar(c)) {
				escaped.append(c);
			}
			else {
				escaped.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
					.append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
			}
		}
		if (value.length() > length) {
			escaped.append("...");
		}
		return escaped.toString();
	}

	static boolean isHeaderName(@Nullable String name) {
		if (name == null || name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
			if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
				return false;
			}
		}
		return true;
	}

	private static boolean isIdChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
				|| c == ':' || c == '-';
	}

}
