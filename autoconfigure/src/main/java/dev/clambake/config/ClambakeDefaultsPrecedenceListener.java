package dev.clambake.config;

import java.util.List;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Keeps Clambake's default sources ({@code clambakeDefaults} and each capability's
 * {@code clambake…Defaults}) below the application's own {@code defaultProperties}
 * ({@code SpringApplication.setDefaultProperties}). Spring Boot moves {@code defaultProperties}
 * to the end after environment post-processing and again when the context refreshes, which
 * would otherwise leave Clambake's opinions above the application's programmatic defaults; so
 * this reorders once the context is prepared (before any condition is evaluated) and again
 * after Spring Boot's own reordering.
 */
public class ClambakeDefaultsPrecedenceListener implements ApplicationListener<ApplicationPreparedEvent>, Ordered {

	private static final String DEFAULT_PROPERTIES = "defaultProperties";

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void onApplicationEvent(ApplicationPreparedEvent event) {
		ConfigurableApplicationContext context = event.getApplicationContext();
		moveBelowDefaultProperties(context.getEnvironment().getPropertySources());
		// Programmatic post-processors run in registration order, after Spring Boot's own
		// (added while the context was prepared) has moved defaultProperties to the end again
		context.addBeanFactoryPostProcessor(
				(beanFactory) -> moveBelowDefaultProperties(context.getEnvironment().getPropertySources()));
	}

	private static void moveBelowDefaultProperties(MutablePropertySources sources) {
		if (!sources.contains(DEFAULT_PROPERTIES)) {
			return;
		}
		List<PropertySource<?>> defaults = sources.stream()
			.filter((source) -> isClambakeDefaults(source.getName()))
			.toList();
		for (PropertySource<?> source : defaults) {
			sources.remove(source.getName());
			sources.addLast(source);
		}
	}

	/**
	 * Whether the named property source holds Clambake's lowest-precedence defaults.
	 * @param name a property source name
	 * @return {@code true} for {@code clambakeDefaults} and {@code clambake…Defaults}
	 */
	public static boolean isClambakeDefaults(String name) {
		return name.startsWith("clambake") && name.endsWith("Defaults");
	}

}
