package dev.clambake.config;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

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
		assertThat(SecretMasking.isSecret("PWD")).isFalse();
		assertThat(SecretMasking.isSecret(null)).isFalse();
	}

	@Test
	void maskHidesOnlySecrets() {
		assertThat(SecretMasking.mask("db.password", "hunter2")).isEqualTo(SecretMasking.MASK);
		assertThat(SecretMasking.mask("db.url", "jdbc:x")).isEqualTo("jdbc:x");
	}

	@Test
	void maskHidesThePasswordOfAUrlsUserInformation() {
		assertThat(SecretMasking.mask("sample.upstream.url", "http://user:pw@host:8080/path"))
			.isEqualTo("http://user:******@host:8080/path");
		assertThat(SecretMasking.maskCredentials("jdbc:postgresql://app:p@ss@db/state"))
			.isEqualTo("jdbc:postgresql://app:******@db/state");
		assertThat(SecretMasking.maskCredentials("redis://:pw@cache")).isEqualTo("redis://:******@cache");
		assertThat(SecretMasking.maskCredentials("http://user@host/a:b@c")).isEqualTo("http://user@host/a:b@c");
	}

	@Test
	void maskHidesSecretUrlParameters() {
		assertThat(SecretMasking.maskCredentials("jdbc:postgresql://db/state?user=app&password=pw&ssl=true"))
			.isEqualTo("jdbc:postgresql://db/state?user=app&password=******&ssl=true");
		assertThat(SecretMasking.maskCredentials("jdbc:sqlserver://db;user=app;pwd=pw;encrypt=true"))
			.isEqualTo("jdbc:sqlserver://db;user=app;pwd=******;encrypt=true");
		assertThat(SecretMasking.maskCredentials("https://api/x?access_token=t1&api-key=k1&client_secret=s1&aws.credentials=c1"))
			.isEqualTo("https://api/x?access_token=******&api-key=******&client_secret=******&aws.credentials=******");
		assertThat(SecretMasking.maskCredentials("https://api/x?page=2&sort=name"))
			.isEqualTo("https://api/x?page=2&sort=name");
	}

	@Test
	void maskHidesSecretArgumentsOfTheJavaCommandLine() {
		String command = "app.jar --server.port=0 --sample.api-token=t1 -Ddb.password=p1 --clambake.environment=testing "
				+ "--sample.upstream.url=http://user:u1@host/?password=q1";
		assertThat(SecretMasking.mask("sun.java.command", command))
			.isEqualTo("app.jar --server.port=0 --sample.api-token=****** -Ddb.password=****** "
					+ "--clambake.environment=testing --sample.upstream.url=http://user:******@host/?password=******");
		assertThat(SecretMasking.mask("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.keyStorePassword=k1 -Xmx1g"))
			.isEqualTo("-Djavax.net.ssl.keyStorePassword=****** -Xmx1g");
	}

	@Test
	void sanitizingFunctionMasksSecretKeysUrlsAndTheCommandLine() {
		SecretSanitizingFunction function = new SecretSanitizingFunction();
		PropertySource<?> source = new MapPropertySource("test", Map.of());
		assertThat(function.apply(new SanitizableData(source, "db.password", "p1")).getValue())
			.isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(function.apply(new SanitizableData(source, "sample.upstream.url", URI.create("http://u:p1@h/")))
			.getValue()).isEqualTo("http://u:******@h/");
		assertThat(function.apply(new SanitizableData(source, "sun.java.command", "app.jar --api-token=t1"))
			.getValue()).isEqualTo("app.jar --api-token=******");
		assertThat(function.apply(new SanitizableData(source, "server.port", 8080)).getValue()).isEqualTo(8080);
	}

}
