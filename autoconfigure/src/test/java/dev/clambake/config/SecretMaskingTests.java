package dev.clambake.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskingTests {

	@Test
	void namesEndingInASecretWordAreSecret() {
		assertThat(SecretMasking.isSecret("clambake.state.password")).isTrue();
		assertThat(SecretMasking.isSecret("clambake.http.clients.pay.api-key")).isTrue();
		assertThat(SecretMasking.isSecret("signingKey")).isTrue();
		assertThat(SecretMasking.isSecret("CLAMBAKE_UPSTREAM_TOKEN")).isTrue();
		assertThat(SecretMasking.isSecret("spring.security.oauth2.client-secret")).isTrue();
		assertThat(SecretMasking.isSecret("aws.credentials")).isTrue();
	}

	@Test
	void otherNamesAreNot() {
		assertThat(SecretMasking.isSecret("clambake.environment")).isFalse();
		assertThat(SecretMasking.isSecret("clambake.state.password-file-path")).isFalse();
		assertThat(SecretMasking.isSecret("token.count")).isFalse();
		assertThat(SecretMasking.isSecret(null)).isFalse();
	}

	@Test
	void maskHidesOnlySecrets() {
		assertThat(SecretMasking.mask("db.password", "hunter2")).isEqualTo(SecretMasking.MASK);
		assertThat(SecretMasking.mask("db.url", "jdbc:x")).isEqualTo("jdbc:x");
	}

}
