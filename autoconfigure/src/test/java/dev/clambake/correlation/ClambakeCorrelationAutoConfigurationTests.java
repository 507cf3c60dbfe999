package dev.clambake.correlation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

import dev.clambake.config.ClambakeCapability;

import static org.assertj.core.api.Assertions.assertThat;

class ClambakeCorrelationAutoConfigurationTests {

	private static final AutoConfigurations CORRELATION = AutoConfigurations
		.of(ClambakeCorrelationAutoConfiguration.class);

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
		.withConfiguration(CORRELATION);

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(CORRELATION);

	private final ApplicationContextRunner plain = new ApplicationContextRunner().withConfiguration(CORRELATION);

	@AfterEach
	void clear() {
		MDC.clear();
	}

	@Test
	void servletDefaultsRegisterTheFirstFilterTheDecoratorAndTheClientCustomizers() {
		this.servlet.run((context) -> {
			assertThat(context.getBeansOfType(ClambakeCapability.class).values())
				.containsExactly(new ClambakeCapability("correlation"));
			FilterRegistrationBean<?> registration = context.getBean(
					ClambakeCorrelationAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME, FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(CorrelationIdFilter.class);
			assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
			assertThat(context.getBean(ClambakeCorrelationAutoConfiguration.REQUEST_LISTENER_BEAN_NAME,
					ServletListenerRegistrationBean.class)
				.getListener()).isInstanceOf(CorrelationIdRequestListener.class);
			assertThat(context).doesNotHaveBean(CorrelationIdHttpHandlerDecorator.class);
			assertThat(context).hasSingleBean(CorrelationIdTaskDecorator.class)
				.hasSingleBean(CorrelationIdRestClientCustomizer.class)
				.hasSingleBean(CorrelationIdExchangeFilter.class)
				.hasSingleBean(CorrelationIdWebClientCustomizer.class)
				.doesNotHaveBean(CorrelationIdWebFilter.class);
			CorrelationIds ids = context.getBean(CorrelationIds.class);
			assertThat(ids.headerName()).isEqualTo("X-Correlation-ID");
		});
	}

	@Test
	void reactiveDefaultsRegisterTheWebFilterInsteadOfTheServletFilter() {
		this.reactive.run((context) -> assertThat(context).hasSingleBean(CorrelationIdWebFilter.class)
			.hasSingleBean(CorrelationIdHttpHandlerDecorator.class)
			.doesNotHaveBean(FilterRegistrationBean.class)
			.doesNotHaveBean(ServletListenerRegistrationBean.class)
			.hasSingleBean(CorrelationIdWebClientCustomizer.class));
	}

	@Test
	void nonWebApplicationGetsPropagationButNoFilter() {
		this.plain.run((context) -> assertThat(context).hasSingleBean(CorrelationIdTaskDecorator.class)
			.doesNotHaveBean(FilterRegistrationBean.class)
			.doesNotHaveBean(CorrelationIdWebFilter.class));
	}

	@Test
	void disabledRegistersNothing() {
		this.servlet.withPropertyValues("clambake.correlation.enabled=false").run((context) -> {
			assertThat(context.getBeansOfType(ClambakeCapability.class)).isEmpty();
			assertThat(context).doesNotHaveBean(CorrelationIds.class)
				.doesNotHaveBean(FilterRegistrationBean.class)
				.doesNotHaveBean(ServletListenerRegistrationBean.class)
				.doesNotHaveBean(CorrelationIdTaskDecorator.class)
				.doesNotHaveBean(CorrelationIdRestClientCustomizer.class)
				.doesNotHaveBean(CorrelationIdExchangeFilter.class)
				.doesNotHaveBean(CorrelationIdWebClientCustomizer.class);
		});
		this.reactive.withPropertyValues("clambake.correlation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CorrelationIdWebFilter.class)
				.doesNotHaveBean(CorrelationIdHttpHandlerDecorator.class));
	}

	@Test
	void missingRestClientModuleLeavesOutItsCustomizer() {
		this.servlet.withClassLoader(new FilteredClassLoader(RestClientCustomizer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CorrelationIdRestClientCustomizer.class)
				.hasSingleBean(CorrelationIdWebClientCustomizer.class)
				.hasBean(ClambakeCorrelationAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME));
	}

	@Test
	void missingWebClientModuleLeavesOutItsCustomizerButKeepsTheFilterForNamedWebClients() {
		this.reactive.withClassLoader(new FilteredClassLoader("org.springframework.boot.webclient"))
			.run((context) -> assertThat(context).doesNotHaveBean(CorrelationIdWebClientCustomizer.class)
				.hasSingleBean(CorrelationIdExchangeFilter.class)
				.hasSingleBean(CorrelationIdWebFilter.class));
	}

	@Test
	void missingWebClientLeavesOutTheFilterAndTheCustomizer() {
		this.servlet.withClassLoader(new FilteredClassLoader(ExchangeFilterFunction.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CorrelationIdExchangeFilter.class)
				.doesNotHaveBean(CorrelationIdWebClientCustomizer.class)
				.hasSingleBean(CorrelationIdRestClientCustomizer.class));
	}

	@Test
	void userExchangeFilterIsTheOneTheCustomizerAdds() {
		this.reactive.withUserConfiguration(UserExchangeFilter.class).run((context) -> {
			assertThat(context.getBean(CorrelationIdExchangeFilter.class)).isSameAs(UserExchangeFilter.FILTER);
			List<ExchangeFilterFunction> filters = new ArrayList<>();
			WebClient.Builder builder = WebClient.builder();
			context.getBean(CorrelationIdWebClientCustomizer.class).customize(builder);
			builder.filters(filters::addAll);
			assertThat(filters).containsExactly(UserExchangeFilter.FILTER);
		});
	}

	@Test
	void missingSlf4jSwitchesTheCapabilityOff() {
		this.servlet.withClassLoader(new FilteredClassLoader(MDC.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CorrelationIds.class)
				.doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void userBeansWin() {
		this.servlet.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(CorrelationIds.class)).isSameAs(UserBeans.IDS);
			assertThat(context.getBean(ClambakeCorrelationAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME))
				.isSameAs(UserBeans.REGISTRATION);
			assertThat(context.getBean(CorrelationIdTaskDecorator.class)).isSameAs(UserBeans.DECORATOR);
		});
	}

	@Test
	void propertiesConfigureTheHeaders() {
		this.servlet
			.withPropertyValues("clambake.correlation.header-name=X-Trace-Ref",
					"clambake.correlation.accepted-headers=X-Amzn-Trace-Id", "clambake.correlation.max-length=16")
			.run((context) -> {
				CorrelationIds ids = context.getBean(CorrelationIds.class);
				assertThat(ids.headerName()).isEqualTo("X-Trace-Ref");
				assertThat(ids.resolve(Map.of("X-Amzn-Trace-Id", "root-1")::get)).isEqualTo("root-1");
				assertThat(ids.resolve(Map.of("X-Correlation-ID", "ignored")::get)).matches("[0-9a-f]{32}");
				assertThat(ids.isValid("x".repeat(17))).isFalse();
			});
	}

	@Test
	void invalidPropertiesFailStartUp() {
		this.servlet.withPropertyValues("clambake.correlation.header-name=X Bad\r\nHeader")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("HTTP header name"));
		this.servlet.withPropertyValues("clambake.correlation.max-length=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("between 1 and 1024"));
	}

	@Test
	void everyBeanMethodBacksOffForTheUsersBean() {
		for (Class<?> type : ClambakeCorrelationAutoConfiguration.class.getDeclaredClasses()) {
			assertBeanMethodsBackOff(type);
		}
		assertBeanMethodsBackOff(ClambakeCorrelationAutoConfiguration.class);
	}

	private void assertBeanMethodsBackOff(Class<?> type) {
		for (Method method : type.getDeclaredMethods()) {
			if (method.isAnnotationPresent(Bean.class) && method.getReturnType() != ClambakeCapability.class) {
				assertThat(method.isAnnotationPresent(ConditionalOnMissingBean.class)).as(method.toString()).isTrue();
			}
		}
	}

	@Test
	void asyncMethodsAndScheduledWorkCarryTheCallersIdAndLeaveTheThreadClean() {
		this.plain
			.withConfiguration(
					AutoConfigurations.of(TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
			.withPropertyValues("spring.task.execution.pool.core-size=1", "spring.task.scheduling.pool.size=1")
			.withUserConfiguration(AsyncWork.class)
			.run((context) -> assertPropagation(context));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsCarryTheCallersId() {
		this.plain
			.withConfiguration(
					AutoConfigurations.of(TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
			.withPropertyValues("spring.threads.virtual.enabled=true")
			.withUserConfiguration(AsyncWork.class)
			.run((context) -> {
				assertThat(context.getBean(TaskScheduler.class)).isInstanceOf(SimpleAsyncTaskScheduler.class);
				assertThat(context.getBean(SimpleAsyncTaskScheduler.class)).isNotNull();
				assertPropagation(context);
				MDC.put("correlationId", "virtual");
				assertThat(context.getBean(AsyncWork.class).currentThread().get(10, TimeUnit.SECONDS)).isTrue();
				MDC.remove("correlationId");
				// @Scheduled work still runs, with no id of its own
				assertThat(context.getBean(AsyncWork.class).ticked()).isTrue();
				assertThat(context.getBean(AsyncWork.class).tickIds()).containsOnlyNulls();
			});
	}

	private void assertPropagation(org.springframework.context.ApplicationContext context) throws Exception {
		AsyncWork work = context.getBean(AsyncWork.class);
		MDC.put("correlationId", "request-1");
		assertThat(work.correlationId().get(10, TimeUnit.SECONDS)).isEqualTo("request-1");
		CompletableFuture<String> later = new CompletableFuture<>();
		context.getBean(TaskScheduler.class)
			.schedule(() -> later.complete(MDC.get("correlationId")), java.time.Instant.now().plusMillis(20));
		assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo("request-1");
		MDC.put("correlationId", "request-2");
		assertThat(work.correlationId().get(10, TimeUnit.SECONDS)).isEqualTo("request-2");
		MDC.remove("correlationId");
		// The same pooled thread must not keep an earlier task's id
		assertThat(work.correlationId().get(10, TimeUnit.SECONDS)).isNull();
		CompletableFuture<String> plainTask = new CompletableFuture<>();
		context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class)
			.execute(() -> plainTask.complete(String.valueOf(MDC.get("correlationId"))));
		assertThat(plainTask.get(10, TimeUnit.SECONDS)).isEqualTo("null");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	@EnableScheduling
	static class AsyncWork {

		@Async
		public CompletableFuture<String> correlationId() {
			return CompletableFuture.completedFuture(MDC.get("correlationId"));
		}

		private final CountDownLatch ticks = new CountDownLatch(2);

		private final List<String> tickIds = new CopyOnWriteArrayList<>();

		@Scheduled(fixedDelay = 20)
		public void tick() {
			this.tickIds.add(MDC.get("correlationId"));
			this.ticks.countDown();
		}

		// Accessors: the bean is a proxy for @Async, its own fields are not the target's
		public boolean ticked() throws InterruptedException {
			return this.ticks.await(10, TimeUnit.SECONDS);
		}

		public List<String> tickIds() {
			return this.tickIds;
		}

		@Async
		public CompletableFuture<Boolean> currentThread() {
			return CompletableFuture.completedFuture(
					Thread.currentThread().getClass().getSimpleName().contains("Virtual")
						&& "virtual".equals(MDC.get("correlationId")));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserExchangeFilter {

		static final CorrelationIdExchangeFilter FILTER = new CorrelationIdExchangeFilter(
				new CorrelationIds(new ClambakeCorrelationProperties()));

		@Bean
		CorrelationIdExchangeFilter userCorrelationIdExchangeFilter() {
			return FILTER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final CorrelationIds IDS = new CorrelationIds(new ClambakeCorrelationProperties());

		static final FilterRegistrationBean<?> REGISTRATION = new FilterRegistrationBean<>();

		static final CorrelationIdTaskDecorator DECORATOR = new CorrelationIdTaskDecorator();

		@Bean
		CorrelationIds userIds() {
			return IDS;
		}

		@Bean(ClambakeCorrelationAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME)
		FilterRegistrationBean<?> userRegistration() {
			return REGISTRATION;
		}

		@Bean
		CorrelationIdTaskDecorator userDecorator() {
			return DECORATOR;
		}

	}

}
