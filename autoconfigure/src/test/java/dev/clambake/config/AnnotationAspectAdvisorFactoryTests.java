package dev.clambake.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import io.github.resilience4j.retry.annotation.Retry;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.micrometer.core.annotation.Timed;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.annotation.Observed;
import io.micrometer.observation.aop.ObservedAspect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.Advisor;
import org.springframework.aop.aspectj.annotation.MetadataAwareAspectInstanceFactory;
import org.springframework.aop.aspectj.annotation.SingletonMetadataAwareAspectInstanceFactory;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAspectsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import dev.clambake.testsupport.AheadOfTimeSources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link AnnotationAspectAdvisorFactory}: the annotations keep working wherever
 * AspectJ found them (method, class, superclass) and unannotated beans stay unproxied. The
 * prefilter also passes classes annotated only on an interface method, which AspectJ then
 * decides on (it does not advise them, with or without the prefilter).
 */
@ExtendWith(OutputCaptureExtension.class)
class AnnotationAspectAdvisorFactoryTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClambakeConfigAutoConfiguration.class, AopAutoConfiguration.class,
				ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, MetricsAspectsAutoConfiguration.class,
				CircuitBreakerAutoConfiguration.class, RetryAutoConfiguration.class))
		.withPropertyValues("management.observations.annotations.enabled=true",
				"resilience4j.retry.instances.flaky.wait-duration=1ms", "resilience4j.retry.instances.flaky.max-attempts=3")
		.withUserConfiguration(Services.class);

	@Test
	void annotatedMethodsClassesAndSuperclassesAreStillAdvised() {
		this.runner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			context.getBean("methodObserved", MethodObserved.class).work();
			context.getBean(ClassObserved.class).work();
			context.getBean(InheritsObserved.class).work();
			assertThat(meters.get("method.observed").timer().count()).isEqualTo(2);
			assertThat(meters.get("class.observed").timer().count()).isOne();
			assertThat(context.getBean(Guarded.class).call()).isEqualTo("ok");
			assertThat(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("guarded").getMetrics()
				.getNumberOfSuccessfulCalls()).isOne();
			assertThat(context.getBean(Flaky.class).call()).isEqualTo("ok after 3");
			assertThat(((Advised) context.getBean("methodObserved")).getAdvisors())
				.anyMatch(AnnotationAspectAdvisorFactory.PrefilteredAdvisor.class::isInstance);
		});
	}

	@Test
	void theFastPathIsListedAsActive() {
		this.runner.run((context) -> assertThat(context.getBean(FastPaths.class).activeNames())
			.contains(AnnotationAspectAdvisorFactory.NAME));
	}

	@Test
	void everyListedAspectExistsAndRefersToExactlyTheListedAnnotations() throws Exception {
		for (Map.Entry<String, Set<String>> entry : AnnotationAspectAdvisorFactory.ANNOTATIONS_BY_ASPECT.entrySet()) {
			Class<?> aspectClass = ClassUtils.forName(entry.getKey(), getClass().getClassLoader());
			assertThat(AnnotationAspectAdvisorFactory.referencedAnnotations(aspectClass)).as(entry.getKey())
				.isEqualTo(entry.getValue());
		}
	}

	@Test
	void anAspectReferringToAnUnlistedAnnotationIsMatchedAsUsualAfterOneWarning(CapturedOutput output) {
		FastPaths fastPaths = new FastPaths();
		AnnotationAspectAdvisorFactory factory = new AnnotationAspectAdvisorFactory(null, provider(fastPaths));
		factory.setAnnotationsByAspect(Map.of(ObservedAspect.class.getName(), Set.of()));
		List<Advisor> advisors = factory.getAdvisors(observedAspect());
		assertThat(advisors).isNotEmpty().noneMatch(AnnotationAspectAdvisorFactory.PrefilteredAdvisor.class::isInstance);
		factory.afterSingletonsInstantiated();
		assertThat(fastPaths.state(AnnotationAspectAdvisorFactory.NAME)).isEqualTo(FastPath.State.FELL_BACK);
		assertThat(output).contains("fast path 'annotation-aspect-prefilter' fell back")
			.contains(Observed.class.getName());
	}

	@Test
	void anUnlistedAspectOfMicrometerOrResilience4jIsMatchedAsUsualAfterOneWarning(CapturedOutput output) {
		FastPaths fastPaths = new FastPaths();
		AnnotationAspectAdvisorFactory factory = new AnnotationAspectAdvisorFactory(null, provider(fastPaths));
		factory.setAnnotationsByAspect(Map.of());
		assertThat(factory.getAdvisors(observedAspect())).isNotEmpty()
			.noneMatch(AnnotationAspectAdvisorFactory.PrefilteredAdvisor.class::isInstance);
		factory.afterSingletonsInstantiated();
		assertThat(fastPaths.list()).singleElement()
			.satisfies((path) -> assertThat(path.detail()).contains("is not one Clambake knows"));
		assertThat(output).contains("fast path 'annotation-aspect-prefilter' fell back");
	}

	@Test
	void switchedOffNothingIsInstalled() {
		this.runner.withPropertyValues("clambake.config.fast-paths.annotation-aspect-prefilter=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(AnnotationAspectsPostProcessor.class);
				assertThat(context.getBean(FastPaths.class).list()).isEmpty();
				assertThat(context.getBean(Guarded.class).call()).isEqualTo("ok");
			});
	}

	private static MetadataAwareAspectInstanceFactory observedAspect() {
		return new SingletonMetadataAwareAspectInstanceFactory(new ObservedAspect(ObservationRegistry.create()),
				"observedAspect");
	}

	private static ObjectProvider<FastPaths> provider(FastPaths fastPaths) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("fastPaths", fastPaths);
		return beanFactory.getBeanProvider(FastPaths.class);
	}

	private static ObjectProvider<FastPaths> noFastPaths() {
		return new DefaultListableBeanFactory().getBeanProvider(FastPaths.class);
	}

	@Test
	void unannotatedBeansAreNotProxied() {
		this.runner.run((context) -> assertThat(AopUtils.isAopProxy(context.getBean(Plain.class))).isFalse());
	}

	@Test
	void aspectFailuresStillPropagate() {
		this.runner.withPropertyValues("resilience4j.retry.instances.flaky.max-attempts=2")
			.run((context) -> assertThatIllegalStateException().isThrownBy(() -> context.getBean(Flaky.class).call())
				.withMessage("attempt 2"));
	}

	@Test
	void prefilterLooksAtTypesMethodsSuperclassesAndInterfaces() {
		AnnotationAspectAdvisorFactory factory = new AnnotationAspectAdvisorFactory(null, noFastPaths());
		Set<String> observed = Set.of(Observed.class.getName());
		assertThat(factory.mayCarry(Plain.class, observed)).isFalse();
		assertThat(factory.mayCarry(MethodObserved.class, observed)).isTrue();
		assertThat(factory.mayCarry(ClassObserved.class, observed)).isTrue();
		assertThat(factory.mayCarry(InheritsObserved.class, observed)).isTrue();
		assertThat(factory.mayCarry(TimedWorker.class, Set.of(Timed.class.getName()))).isTrue();
		assertThat(factory.mayCarry(TimedWorker.class, observed)).isFalse();
	}

	@Test
	void advisorFactoryIsWrittenIntoTheBeanDefinitionsGeneratedAheadOfTime() {
		this.runner.prepare((context) -> {
			String sources = String.join("",
					AheadOfTimeSources.generate(context.getSourceApplicationContext(), Services.class).values());
			assertThat(sources).contains("new AnnotationAspectAdvisorFactory(")
				.contains("addPropertyValue(\"aspectJAdvisorFactory\", new RuntimeBeanReference(\""
						+ AnnotationAspectsPostProcessor.ADVISOR_FACTORY_BEAN_NAME + "\"))");
		});
	}

	@Test
	void withoutAspectJNothingIsInstalled() {
		this.runner.withClassLoader(new FilteredClassLoader("org.aspectj"))
			.withConfiguration(AutoConfigurations.of(ClambakeConfigAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(AnnotationAspectsPostProcessor.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		MethodObserved methodObserved() {
			return new MethodObserved();
		}

		@Bean
		ClassObserved classObserved() {
			return new ClassObserved();
		}

		@Bean
		InheritsObserved inheritsObserved() {
			return new InheritsObserved();
		}

		@Bean
		TimedWorker timedWorker() {
			return new TimedWorker();
		}

		@Bean
		Guarded guarded() {
			return new Guarded();
		}

		@Bean
		Flaky flaky() {
			return new Flaky();
		}

		@Bean
		Plain plain() {
			return new Plain();
		}

	}

	static class MethodObserved {

		@Observed(name = "method.observed")
		public String work() {
			return "done";
		}

	}

	@Observed(name = "class.observed")
	static class ClassObserved {

		public String work() {
			return "done";
		}

	}

	static class InheritsObserved extends MethodObserved {

	}

	interface TimedWork {

		@Timed("interface.timed")
		String work();

	}

	static class TimedWorker implements TimedWork {

		@Override
		public String work() {
			return "done";
		}

	}

	@CircuitBreaker(name = "guarded")
	static class Guarded {

		public String call() {
			return "ok";
		}

	}

	static class Flaky {

		private final AtomicInteger calls = new AtomicInteger();

		@Retry(name = "flaky")
		public String call() {
			int call = this.calls.incrementAndGet();
			if (call < 3) {
				throw new IllegalStateException("attempt " + call);
			}
			return "ok after " + call;
		}

	}

	static class Plain {

		public String work() {
			return "done";
		}

	}

}
