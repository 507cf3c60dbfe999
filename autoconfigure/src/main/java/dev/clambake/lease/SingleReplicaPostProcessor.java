package dev.clambake.lease;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Proxies beans with {@link SingleReplica @SingleReplica} methods (Spring AOP, class-based
 * proxies) so that each call runs through {@link SingleReplicaJobs}. It runs before Spring's
 * {@code ScheduledAnnotationBeanPostProcessor}, which then schedules the proxied methods.
 */
public class SingleReplicaPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private final Duration defaultDuration;

	/**
	 * Create the post-processor.
	 * @param defaultDuration the lease duration of methods that do not give one
	 */
	public SingleReplicaPostProcessor(Duration defaultDuration) {
		this.defaultDuration = defaultDuration;
		setProxyTargetClass(true);
		setBeforeExistingAdvisors(true);
		// Before ScheduledAnnotationBeanPostProcessor (lowest precedence), so it schedules the proxy
		setOrder(Ordered.LOWEST_PRECEDENCE - 100);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		Interceptor interceptor = new Interceptor(beanFactory.getBeanProvider(SingleReplicaJobs.class),
				(beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable : null,
				this.defaultDuration);
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, SingleReplica.class, true),
				interceptor);
	}

	private static final class Interceptor implements MethodInterceptor {

		private final ObjectProvider<SingleReplicaJobs> jobs;

		private final @Nullable ConfigurableBeanFactory beanFactory;

		private final Duration defaultDuration;

		private final Map<Method, Target> targets = new ConcurrentHashMap<>();

		Interceptor(ObjectProvider<SingleReplicaJobs> jobs, @Nullable ConfigurableBeanFactory beanFactory,
				Duration defaultDuration) {
			this.jobs = jobs;
			this.beanFactory = beanFactory;
			this.defaultDuration = defaultDuration;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Object thisObject = invocation.getThis();
			Class<?> targetClass = (thisObject != null) ? AopUtils.getTargetClass(thisObject) : null;
			Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
			Target target = this.targets.computeIfAbsent(method, this::target);
			Object[] result = new Object[1];
			this.jobs.getObject().execute(target.lease(), target.duration(), () -> result[0] = invocation.proceed());
			return result[0];
		}

		private Target target(Method method) {
			SingleReplica annotation = AnnotatedElementUtils.findMergedAnnotation(method, SingleReplica.class);
			if (annotation == null) {
				throw new IllegalStateException("No @SingleReplica on " + method);
			}
			String lease = resolve(annotation.lease());
			if (!StringUtils.hasText(lease)) {
				throw new IllegalStateException("@SingleReplica on " + method + " names no lease");
			}
			String durationText = resolve(annotation.duration());
			Duration duration;
			try {
				duration = StringUtils.hasText(durationText) ? DurationStyle.detectAndParse(durationText)
						: this.defaultDuration;
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("@SingleReplica on " + method + " has an invalid duration '"
						+ durationText + "'; use a duration such as 30s or PT30S", ex);
			}
			return new Target(lease, duration);
		}

		private String resolve(String value) {
			if (this.beanFactory == null) {
				return value;
			}
			String resolved = this.beanFactory.resolveEmbeddedValue(value);
			return (resolved != null) ? resolved : value;
		}

	}

	private record Target(String lease, Duration duration) {

	}

}
