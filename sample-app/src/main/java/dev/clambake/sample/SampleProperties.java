package dev.clambake.sample;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.env.Environment;

/**
 * The sample app's own settings.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	private final Upstream upstream = new Upstream();

	public Upstream getUpstream() {
		return this.upstream;
	}

	/**
	 * The service {@code /api/upstream} calls and the {@code upstream} health contributor checks.
	 */
	public static class Upstream {

		/**
		 * URL of the upstream; the app's own /api/hello when not set.
		 */
		private @Nullable URI url;

		public @Nullable URI getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable URI url) {
			this.url = url;
		}

		/**
		 * Return the configured URL, or this app's own {@code /api/hello} once its port is known.
		 * @param environment the environment holding {@code local.server.port}
		 * @return the upstream URL
		 */
		public URI resolve(Environment environment) {
			if (this.url != null) {
				return this.url;
			}
			String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
			return URI.create("http://127.0.0.1:" + port + "/api/hello");
		}

	}

}
