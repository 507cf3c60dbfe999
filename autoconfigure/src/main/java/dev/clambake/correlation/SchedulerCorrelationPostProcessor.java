package dev.clambake.correlation;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

/**
 * Carries the caller's correlation id into work scheduled on a {@link SimpleAsyncTaskScheduler},
 * Spring Boot's task scheduler when virtual threads are enabled. That scheduler applies its task
 * decorator when a task fires, on its trigger thread, where the caller's MDC is long gone; so the
 * scheduler is wrapped, and {@link CorrelationIdTaskDecorator} takes the id when the task is
 * scheduled, as the platform-thread scheduler's decoration does. The wrapper subclasses the
 * scheduler, so it is still injected as a {@code SimpleAsyncTaskScheduler}.
 */
class SchedulerCorrelationPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<CorrelationIdTaskDecorator> decorator;

	SchedulerCorrelationPostProcessor(ObjectProvider<CorrelationIdTaskDecorator> decorator) {
		this.decorator = decorator;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean.getClass() != SimpleAsyncTaskScheduler.class) {
			return bean;
		}
		CorrelationIdTaskDecorator decorator = this.decorator.getIfAvailable();
		if (decorator == null) {
			return bean;
		}
		ProxyFactory proxy = new ProxyFactory(bean);
		proxy.setProxyTargetClass(true);
		proxy.addAdvice(new DecorateScheduledTasks(decorator));
		return proxy.getProxy(bean.getClass().getClassLoader());
	}

	/**
	 * Decorates the task handed to each {@code schedule...} method of {@code TaskScheduler} on
	 * the calling thread. Everything else goes to the scheduler as it is.
	 */
	private record DecorateScheduledTasks(CorrelationIdTaskDecorator decorator) implements MethodInterceptor {

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Object[] arguments = invocation.getArguments();
			if (invocation.getMethod().getName().startsWith("schedule") && arguments.length > 0
					&& arguments[0] instanceof Runnable task) {
				arguments[0] = this.decorator.decorate(task);
			}
			return invocation.proceed();
		}

	}

}
