package dev.clambake.sample;

import dev.clambake.state.ClambakeStateProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Caps task API request bodies at the state store's {@code clambake.state.max-value-size} plus
 * room for the request's own JSON around the stored value.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "clambake.state.enabled", matchIfMissing = true)
class TaskBodyLimitConfiguration {

	static final DataSize SLACK = DataSize.ofKilobytes(1);

	@Bean
	FilterRegistrationBean<TaskBodyLimitFilter> taskBodyLimitFilter(ClambakeStateProperties properties) {
		long limit = properties.getMaxValueSize().toBytes() + SLACK.toBytes();
		FilterRegistrationBean<TaskBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new TaskBodyLimitFilter(limit));
		registration.addUrlPatterns("/api/tasks", "/api/tasks/*");
		return registration;
	}

}
