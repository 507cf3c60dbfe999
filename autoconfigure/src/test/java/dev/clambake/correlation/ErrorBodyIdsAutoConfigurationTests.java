package dev.clambake.correlation;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error-body ids' beans: present by default, Boot's error attributes replaced by the subclass
 * that adds the ids, an application's own error attributes left alone, nothing when switched
 * off, the MDC alone without Micrometer Tracing.
 */
class ErrorBodyIdsAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(
					org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration.class,
					ErrorMvcAutoConfiguration.class, ClambakeCorrelationAutoConfiguration.class));

	@Test
	void defaultsAddTheInterceptorAndReplaceBootsErrorAttributes() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ErrorBodyIds.class).hasSingleBean(ErrorBodyIdsWebMvcConfigurer.class);
			assertThat(context.getBean(ErrorAttributes.class)).isExactlyInstanceOf(ServletErrorAttributesIds.class);
		});
	}

	@Test
	void anApplicationsOwnErrorAttributesAreLeftAlone() {
		this.runner.withUserConfiguration(OwnErrorAttributes.class)
			.run((context) -> assertThat(context.getBean(ErrorAttributes.class))
				.isSameAs(context.getBean(OwnErrorAttributes.class).attributes));
	}

	@Test
	void whenSwitchedOffNothingIsAddedOrReplaced() {
		this.runner.withPropertyValues("clambake.correlation.error-bodies.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ErrorBodyIds.class).doesNotHaveBean(ErrorBodyIdsWebMvcConfigurer.class);
			assertThat(context.getBean(ErrorAttributes.class)).isExactlyInstanceOf(DefaultErrorAttributes.class);
		});
	}

	@Test
	void withoutMicrometerTracingTheTraceIdComesFromTheMdc() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
			.run((context) -> assertThat(context).hasSingleBean(ErrorBodyIds.class)
				.getBean(ErrorAttributes.class)
				.isExactlyInstanceOf(ServletErrorAttributesIds.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnErrorAttributes {

		final DefaultErrorAttributes attributes = new DefaultErrorAttributes() {
		};

		@Bean
		ErrorAttributes errorAttributes() {
			return this.attributes;
		}

	}

}
