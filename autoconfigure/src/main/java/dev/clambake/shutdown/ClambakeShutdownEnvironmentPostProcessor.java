package dev.clambake.shutdown;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * On Kubernetes, defaults {@code clambake.shutdown.drain-delay} to {@value #KUBERNETES_DRAIN_DELAY}
 * in a lowest-precedence property source, {@value #NAME}, so that endpoints have time to drop the
 * pod before its web server stops accepting; any value the application sets wins.
 */
public class ClambakeShutdownEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Name of the property source holding the Kubernetes drain delay.
	 */
	public static final String NAME = "clambakeShutdownKubernetesDefaults";

	static final String KUBERNETES_DRAIN_DELAY = "5s";

	@Override
	public int getOrder() {
		// After the application's own configuration is loaded, so spring.main.cloud-platform counts
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (CloudPlatform.KUBERNETES.isActive(environment) && !environment.getPropertySources().contains(NAME)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(NAME, Map.of("clambake.shutdown.drain-delay", KUBERNETES_DRAIN_DELAY)));
		}
	}

}
