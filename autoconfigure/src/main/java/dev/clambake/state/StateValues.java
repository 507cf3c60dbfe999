package dev.clambake.state;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The checks on what the state store is given: namespaces, keys, versions, page sizes and
 * tokens, actors and JSON values. Each throws {@link IllegalArgumentException} before any
 * connection is taken.
 */
final class StateValues {

	static final int MAX_PAGE_SIZE = 1000;

	private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

	private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._\\-:@/]{1,256}");

	private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9._\\-:@/]{0,256}");

	private static final JsonFactory JSON = new JsonFactory();

	private StateValues() {
	}

	static void validateNamespace(String namespace) {
		if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
			throw new IllegalArgumentException(
					"Invalid namespace: 1 to 64 characters of a-z 0-9 . _ -, starting with a letter or digit");
		}
	}

	static void validateKey(String key) {
		if (key == null || !KEY.matcher(key).matches()) {
			throw new IllegalArgumentException("Invalid key: 1 to 256 characters of A-Z a-z 0-9 . _ - : @ /");
		}
	}

	static void validateKeyPrefix(String keyPrefix) {
		if (!KEY_PREFIX.matcher(keyPrefix).matches()) {
			throw new IllegalArgumentException("Invalid key prefix: up to 256 characters of A-Z a-z 0-9 . _ - : @ /");
		}
	}

	static void validateVersion(long version) {
		if (version < 1) {
			throw new IllegalArgumentException("Invalid expected version " + version + ": versions start at 1");
		}
	}

	static void validatePageSize(int pageSize) {
		if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			throw new IllegalArgumentException("Invalid page size " + pageSize + ": 1 to " + MAX_PAGE_SIZE);
		}
	}

	static void validateActor(@Nullable String actor) {
		if (actor != null && (actor.isEmpty() || actor.length() > 256 || hasUnpairedSurrogate(actor))) {
			throw new IllegalArgumentException("Invalid actor: 1 to 256 characters of Unicode text");
		}
	}

	static long parseAuditToken(@Nullable String pageToken) {
		if (pageToken == null) {
			return 0;
		}
		try {
			long after = Long.parseLong(pageToken);
			if (after < 0) {
				throw new NumberFormatException();
			}
			return after;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Invalid audit page token");
		}
	}

	static void validateValue(String json, long maxValueBytes) {
		if (json == null) {
			throw new IllegalArgumentException("Invalid value: null");
		}
		// UTF-8 takes at most 3 bytes per char; only count exactly when the value might be too big
		if ((long) json.length() * 3 > maxValueBytes && json.getBytes(StandardCharsets.UTF_8).length > maxValueBytes) {
			throw new IllegalArgumentException(
					"Invalid value: larger than clambake.state.max-value-size (" + maxValueBytes + " bytes)");
		}
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
			JsonToken token = parser.nextToken();
			if (token == null) {
				throw new IllegalArgumentException("Invalid value: not a JSON document (empty)");
			}
			// Every string is decoded: a lone surrogate, raw or escaped, would be stored as '?'
			int depth = 0;
			do {
				if ((token == JsonToken.VALUE_STRING || token == JsonToken.PROPERTY_NAME)
						&& hasUnpairedSurrogate(parser.getString())) {
					throw new IllegalArgumentException("Invalid value: the " + ((token == JsonToken.PROPERTY_NAME)
							? "name" : "string") + " at '" + parser.streamReadContext().pathAsPointer()
							+ "' holds an unpaired UTF-16 surrogate, which is not Unicode text and cannot be stored");
				}
				depth += token.isStructStart() ? 1 : (token.isStructEnd() ? -1 : 0);
			}
			while (depth > 0 && (token = parser.nextToken()) != null);
			if (parser.nextToken() != null) {
				throw new IllegalArgumentException("Invalid value: more than one JSON document");
			}
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Invalid value: not a JSON document ("
					+ ex.getOriginalMessage().toLowerCase(Locale.ROOT) + ")");
		}
	}

	private static boolean hasUnpairedSurrogate(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return true;
			}
		}
		return false;
	}

}
