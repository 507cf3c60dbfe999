package dev.clambake.correlation;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.slf4j.MDC;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.web.ErrorResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.server.WebFilter;

import dev.clambake.config.ClambakeCapability;

/**
 * Auto-configuration for request correlation: the inbound filter (servlet or WebFlux), the
 * task decorator for thread hops (and its wrapping of the virtual-thread task scheduler), the
 * customizers for Boot-built HTTP clients and the {@code WebClient} filter that named clients
 * apply without Spring Boot's webclient module.
 */
@AutoConfiguration
@ConditionalOnClass(MDC.class)
@ConditionalOnBooleanProperty(name = "clambake.correlation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ClambakeCorrelationProperties.class)
public final class ClambakeCorrelationAutoConfiguration {

	private static final String TRACER = "io.micrometer.tracing.Tracer";


	/**
	 * Name of the servlet filter's registration bean; define a bean of this name to replace it.
	 */
	public static final String FILTER_REGISTRATION_BEAN_NAME = "clambakeCorrelationIdFilter";

	/**
	 * Name of the servlet request listener's registration bean; define a bean of this name to
	 * replace it.
	 */
	public static final String REQUEST_LISTENER_BEAN_NAME = "clambakeCorrelationIdRequestListener";

	@Bean
	ClambakeCapability clambakeCorrelationCapability() {
		return new ClambakeCapability("correlation");
	}

	@Bean
	@ConditionalOnMissingBean
	CorrelationIds clambakeCorrelationIds(ClambakeCorrelationProperties properties) {
		return new CorrelationIds(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	CorrelationIdTaskDecorator clambakeCorrelationIdTaskDecorator() {
		return new CorrelationIdTaskDecorator();
	}

	@Bean
	@ConditionalOnMissingBean
	static SchedulerCorrelationPostProcessor clambakeSchedulerCorrelationPostProcessor(
			ObjectProvider<CorrelationIdTaskDecorator> decorator) {
		return new SchedulerCorrelationPostProcessor(decorator);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Filter.class, OncePerRequestFilter.class, FilterRegistrationBean.class })
	static class ServletConfiguration {

		@Bean(FILTER_REGISTRATION_BEAN_NAME)
		@ConditionalOnMissingBean(name = FILTER_REGISTRATION_BEAN_NAME)
		FilterRegistrationBean<CorrelationIdFilter> clambakeCorrelationIdFilter(CorrelationIds correlationIds) {
			FilterRegistrationBean<CorrelationIdFilter> registration = new FilterRegistrationBean<>(
					new CorrelationIdFilter(correlationIds));
			// Before every other filter, so everything they log carries the id
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
			return registration;
		}

		@Bean(REQUEST_LISTENER_BEAN_NAME)
		@ConditionalOnMissingBean(name = REQUEST_LISTENER_BEAN_NAME)
		ServletListenerRegistrationBean<CorrelationIdRequestListener> clambakeCorrelationIdRequestListener() {
			return new ServletListenerRegistrationBean<>(new CorrelationIdRequestListener());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass(WebFilter.class)
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CorrelationIdWebFilter clambakeCorrelationIdWebFilter(CorrelationIds correlationIds) {
			return new CorrelationIdWebFilter(correlationIds);
		}

		@Bean
		@ConditionalOnMissingBean
		CorrelationIdHttpHandlerDecorator clambakeCorrelationIdHttpHandlerDecorator(CorrelationIds correlationIds) {
			return new CorrelationIdHttpHandlerDecorator(correlationIds);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientCustomizer.class)
	static class RestClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CorrelationIdRestClientCustomizer clambakeCorrelationIdRestClientCustomizer(CorrelationIds correlationIds) {
			return new CorrelationIdRestClientCustomizer(correlationIds);
		}

	}

	// The filter needs only Spring Framework's WebClient: named WebClients apply it themselves
	// when Spring Boot's webclient module (and with it WebClientCustomizer) is absent
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ExchangeFilterFunction.class)
	static class WebClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CorrelationIdExchangeFilter clambakeCorrelationIdExchangeFilter(CorrelationIds correlationIds) {
			return new CorrelationIdExchangeFilter(correlationIds);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ExchangeFilterFunction.class, WebClientCustomizer.class })
	static class WebClientCustomizerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CorrelationIdWebClientCustomizer clambakeCorrelationIdWebClientCustomizer(CorrelationIdExchangeFilter filter) {
			return new CorrelationIdWebClientCustomizer(filter);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ErrorResponse.class)
	@ConditionalOnBooleanProperty(name = "clambake.correlation.error-bodies.enabled", matchIfMissing = true)
	static class ErrorBodiesConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ErrorBodyIds clambakeErrorBodyIds(BeanFactory beanFactory) {
			if (ClassUtils.isPresent(TRACER, ErrorBodiesConfiguration.class.getClassLoader())) {
				return new ErrorBodyIds(TracerTraceIds.tracer(beanFactory));
			}
			return ErrorBodyIds.fromMdc();
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = Type.SERVLET)
		@ConditionalOnClass(WebMvcConfigurer.class)
		static class ServletErrorBodiesConfiguration {

			@Bean
			@ConditionalOnMissingBean
			ErrorBodyIdsWebMvcConfigurer clambakeErrorBodyIdsWebMvcConfigurer(ErrorBodyIds ids) {
				return new ErrorBodyIdsWebMvcConfigurer(ids);
			}

			@Bean
			@ConditionalOnMissingBean(name = "clambakeServletErrorAttributesIdsPostProcessor")
			@ConditionalOnClass(org.springframework.boot.webmvc.error.DefaultErrorAttributes.class)
			static ErrorAttributesIdsPostProcessor clambakeServletErrorAttributesIdsPostProcessor(
					ObjectProvider<ErrorBodyIds> ids) {
				return new ErrorAttributesIdsPostProcessor(org.springframework.boot.webmvc.error.DefaultErrorAttributes.class,
						ServletErrorAttributesIds::new, ids);
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = Type.REACTIVE)
		@ConditionalOnClass(WebFluxConfigurer.class)
		static class ReactiveErrorBodiesConfiguration {

			@Bean
			@ConditionalOnMissingBean
			ErrorBodyIdsWebFluxConfigurer clambakeErrorBodyIdsWebFluxConfigurer(ErrorBodyIds ids) {
				return new ErrorBodyIdsWebFluxConfigurer(ids);
			}

			@Bean
			@ConditionalOnMissingBean(name = "clambakeReactiveErrorAttributesIdsPostProcessor")
			@ConditionalOnClass(org.springframework.boot.webflux.error.DefaultErrorAttributes.class)
			static ErrorAttributesIdsPostProcessor clambakeReactiveErrorAttributesIdsPostProcessor(
					ObjectProvider<ErrorBodyIds> ids) {
				return new ErrorAttributesIdsPostProcessor(
						org.springframework.boot.webflux.error.DefaultErrorAttributes.class, ReactiveErrorAttributesIds::new,
						ids);
			}

		}

	}

}
