package dev.clambake.sample;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.clambake.config.SecretMasking;

/**
 * The {@code upstream} health contributor: a real HTTP request to {@code sample.upstream.url}.
 * Its own timeouts are deliberately longer than Clambake's time box: the time box is what
 * keeps {@code /actuator/health} answering when the upstream hangs.
 */
@Component("upstream")
class UpstreamHealthIndicator implements HealthIndicator {

	static final int CONNECT_TIMEOUT_MS = 5_000;

	static final int READ_TIMEOUT_MS = 10_000;

	private final SampleProperties properties;

	private final Environment environment;

	UpstreamHealthIndicator(SampleProperties properties, Environment environment) {
		this.properties = properties;
		this.environment = environment;
	}

	@Override
	public Health health() {
		URI url = this.properties.getUpstream().resolve(this.environment);
		try {
			HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
			connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
			connection.setReadTimeout(READ_TIMEOUT_MS);
			try {
				int status = connection.getResponseCode();
				Health.Builder health = (status < 500) ? Health.up() : Health.down();
				return health.withDetail("url", SecretMasking.maskCredentials(url.toString())).withDetail("httpStatus", status).build();
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			return Health.down()
				.withDetail("url", SecretMasking.maskCredentials(url.toString()))
				.withDetail("error", ex.getClass().getSimpleName())
				.build();
		}
	}

}
