package dev.clambake.correlation;

import org.slf4j.MDC;

import org.springframework.core.task.TaskDecorator;

/**
 * Carries the submitting thread's correlation id to the thread that runs the task. Spring Boot
 * applies {@link TaskDecorator} beans to the executors and schedulers it builds, which covers
 * {@code @Async} methods, {@code applicationTaskExecutor} (platform or virtual threads) and
 * work scheduled from inside a request (on virtual threads through
 * {@link SchedulerCorrelationPostProcessor}).
 */
public class CorrelationIdTaskDecorator implements TaskDecorator {

	@Override
	public Runnable decorate(Runnable runnable) {
		String id = MDC.get(CorrelationIds.MDC_KEY);
		if (id == null) {
			return runnable;
		}
		return () -> {
			String previous = MDC.get(CorrelationIds.MDC_KEY);
			MDC.put(CorrelationIds.MDC_KEY, id);
			try {
				runnable.run();
			}
			finally {
				CorrelationIdScope.restore(previous);
			}
		};
	}

}
