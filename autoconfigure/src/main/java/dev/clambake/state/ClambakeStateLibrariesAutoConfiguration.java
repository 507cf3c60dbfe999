package dev.clambake.state;

import java.util.List;

import dev.clambake.state.StateLibraries.Library;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;

/**
 * Stops start-up when the state store is switched on ({@code clambake.state.enabled=true}) but
 * a library it needs for the configured database is missing, naming the artifacts to add.
 * Conditional only on the property, unlike {@link ClambakeStateAutoConfiguration}, which a
 * missing library would otherwise turn off without a word.
 */
@AutoConfiguration(before = ClambakeStateAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "clambake.state.enabled")
@EnableConfigurationProperties(ClambakeStateProperties.class)
public final class ClambakeStateLibrariesAutoConfiguration {

	// Checked even with spring.main.lazy-initialization=true, which would otherwise leave the
	// missing libraries unreported until something needs the store
	@Bean
	static LazyInitializationExcludeFilter stateLibrariesCheckLazyInitializationExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(StateLibrariesCheck.class);
	}

	@Bean
	StateLibrariesCheck stateLibrariesCheck(ClambakeStateProperties properties, ResourceLoader resourceLoader) {
		return new StateLibrariesCheck(StateDatabase.of(properties.getUrl()), resourceLoader.getClassLoader());
	}

	static final class StateLibrariesCheck implements InitializingBean {

		private final StateDatabase database;

		private final @Nullable ClassLoader classLoader;

		StateLibrariesCheck(StateDatabase database, @Nullable ClassLoader classLoader) {
			this.database = database;
			this.classLoader = classLoader;
		}

		@Override
		public void afterPropertiesSet() {
			List<Library> missing = StateLibraries.missing(this.database, this.classLoader);
			if (!missing.isEmpty()) {
				throw new StateLibrariesMissingException(this.database, missing);
			}
		}

	}

}
