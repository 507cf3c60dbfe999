package dev.clambake.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Advisor;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.MethodMatcher;
import org.springframework.aop.Pointcut;
import org.springframework.aop.aspectj.AspectJPrecedenceInformation;
import org.springframework.aop.aspectj.InstantiationModelAwarePointcutAdvisor;
import org.springframework.aop.aspectj.annotation.MetadataAwareAspectInstanceFactory;
import org.springframework.aop.aspectj.annotation.ReflectiveAspectJAdvisorFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ConcurrentReferenceHashMap;

/**
 * Spring's AspectJ advisor factory with a cheap class prefilter in front of the annotation-driven
 * aspects Clambake turns on: Micrometer's {@code @Observed}, {@code @Timed}, {@code @Counted},
 * {@code @NewSpan}/{@code @ContinueSpan} and Resilience4j's annotations. Spring matches each
 * AspectJ pointcut against every method of every bean through AspectJ's own reflection world,
 * which reads class files from the application's jar: in a small service that was a third of
 * start-up. The prefilter says no, from plain reflection, to classes whose hierarchy carries none
 * of the aspect's annotations on the type or on a method; for the others AspectJ decides exactly
 * as before. Other aspects are left as they are.
 */
class AnnotationAspectAdvisorFactory extends ReflectiveAspectJAdvisorFactory implements SmartInitializingSingleton {

	/**
	 * Every annotation each known aspect's pointcuts refer to, by the aspect's class name.
	 */
	static final Map<String, Set<String>> ANNOTATIONS_BY_ASPECT = Map.ofEntries(
			Map.entry("io.micrometer.observation.aop.ObservedAspect",
					Set.of("io.micrometer.observation.annotation.Observed")),
			Map.entry("io.micrometer.core.aop.TimedAspect", Set.of("io.micrometer.core.annotation.Timed")),
			Map.entry("io.micrometer.core.aop.CountedAspect", Set.of("io.micrometer.core.annotation.Counted")),
			Map.entry("io.micrometer.tracing.annotation.SpanAspect",
					Set.of("io.micrometer.tracing.annotation.NewSpan",
							"io.micrometer.tracing.annotation.ContinueSpan")),
			Map.entry("io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerAspect",
					Set.of("io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker")),
			Map.entry("io.github.resilience4j.spring6.retry.configure.RetryAspect",
					Set.of("io.github.resilience4j.retry.annotation.Retry")),
			Map.entry("io.github.resilience4j.spring6.bulkhead.configure.BulkheadAspect",
					Set.of("io.github.resilience4j.bulkhead.annotation.Bulkhead")),
			Map.entry("io.github.resilience4j.spring6.ratelimiter.configure.RateLimiterAspect",
					Set.of("io.github.resilience4j.ratelimiter.annotation.RateLimiter")),
			Map.entry("io.github.resilience4j.spring6.timelimiter.configure.TimeLimiterAspect",
					Set.of("io.github.resilience4j.timelimiter.annotation.TimeLimiter")),
			Map.entry("io.github.resilience4j.spring6.micrometer.configure.TimerAspect",
					Set.of("io.github.resilience4j.micrometer.annotation.Timer")));

	static final String NAME = "annotation-aspect-prefilter";

	static final String PROPERTY = "clambake.config.fast-paths.annotation-aspect-prefilter";

	// The projects whose aspects are listed: an aspect of theirs not listed is one renamed or new
	private static final List<String> KNOWN_PACKAGES = List.of("io.micrometer.", "io.github.resilience4j.");

	// A qualified name in a pointcut expression, such as io.micrometer.core.annotation.Timed
	private static final Pattern QUALIFIED_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+");

	// Stands for every annotation when a class's hierarchy could not be read
	private static final String UNKNOWN = "?";

	// Names of the annotations on each class's hierarchy (types and methods)
	private final Map<Class<?>, Set<String>> annotationsByClass = new ConcurrentReferenceHashMap<>();

	private final ObjectProvider<FastPaths> fastPaths;

	// Aspects are built while beans are created, the context's record among them: what became of
	// the fast path is kept here and handed over once every singleton exists
	private final FastPaths outcomes = new FastPaths();

	private Map<String, Set<String>> annotationsByAspect = ANNOTATIONS_BY_ASPECT;

	// The one constructor: the bean definition autowires it
	AnnotationAspectAdvisorFactory(@Nullable BeanFactory beanFactory, ObjectProvider<FastPaths> fastPaths) {
		super(beanFactory);
		this.fastPaths = fastPaths;
	}

	/**
	 * Use other annotations by aspect than {@link #ANNOTATIONS_BY_ASPECT}, as a test does to
	 * see the fallback.
	 */
	void setAnnotationsByAspect(Map<String, Set<String>> annotationsByAspect) {
		this.annotationsByAspect = annotationsByAspect;
	}

	@Override
	public List<Advisor> getAdvisors(MetadataAwareAspectInstanceFactory aspectInstanceFactory) {
		List<Advisor> advisors = super.getAdvisors(aspectInstanceFactory);
		Class<?> aspectClass = aspectInstanceFactory.getAspectMetadata().getAspectClass();
		Set<String> annotations = annotationsOf(aspectClass);
		if (annotations == null) {
			if (KNOWN_PACKAGES.stream().anyMatch(aspectClass.getName()::startsWith)) {
				this.outcomes.fellBack(NAME, PROPERTY, "The aspect " + aspectClass.getName()
						+ " is not one Clambake knows (a renamed or new aspect); AspectJ matches it against every bean.");
			}
			return advisors;
		}
		Set<String> unknown = new TreeSet<>(referencedAnnotations(aspectClass));
		unknown.removeAll(annotations);
		if (!unknown.isEmpty()) {
			this.outcomes.fellBack(NAME, PROPERTY, "The aspect " + aspectClass.getName()
					+ " refers to annotations Clambake does not know: " + String.join(", ", unknown)
					+ "; AspectJ matches it against every bean.");
			return advisors;
		}
		this.outcomes.active(NAME, PROPERTY, "the annotations of Micrometer's and Resilience4j's aspects");
		List<Advisor> prefiltered = new ArrayList<>(advisors.size());
		for (Advisor advisor : advisors) {
			prefiltered.add((advisor instanceof InstantiationModelAwarePointcutAdvisor pointcutAdvisor)
					? new PrefilteredAdvisor(pointcutAdvisor, (clazz) -> mayCarry(clazz, annotations)) : advisor);
		}
		return prefiltered;
	}

	@Override
	public void afterSingletonsInstantiated() {
		FastPaths.from(this.fastPaths).include(this.outcomes);
	}

	/**
	 * Return what became of the fast path so far.
	 * @return the outcomes
	 */
	FastPaths outcomes() {
		return this.outcomes;
	}

	private @Nullable Set<String> annotationsOf(Class<?> aspectClass) {
		for (Class<?> type = aspectClass; type != null && type != Object.class; type = type.getSuperclass()) {
			Set<String> annotations = this.annotationsByAspect.get(type.getName());
			if (annotations != null) {
				return annotations;
			}
		}
		return null;
	}

	/**
	 * The annotations an aspect's advice and pointcuts can match: those named in their
	 * expressions, and those bound to an advice or pointcut method's parameters.
	 */
	static Set<String> referencedAnnotations(Class<?> aspectClass) {
		Set<String> names = new HashSet<>();
		for (Class<?> type = aspectClass; type != null && type != Object.class; type = type.getSuperclass()) {
			for (Method method : type.getDeclaredMethods()) {
				boolean pointcutOrAdvice = false;
				for (Annotation annotation : method.getDeclaredAnnotations()) {
					if (annotation.annotationType().getName().startsWith("org.aspectj.lang.annotation.")) {
						pointcutOrAdvice = true;
						Object value = AnnotationUtils.getValue(annotation);
						if (value instanceof String expression) {
							Matcher matcher = QUALIFIED_NAME.matcher(expression);
							while (matcher.find()) {
								addIfAnnotation(matcher.group(), aspectClass.getClassLoader(), names);
							}
						}
					}
				}
				if (pointcutOrAdvice) {
					for (Class<?> parameterType : method.getParameterTypes()) {
						if (parameterType.isAnnotation()) {
							names.add(parameterType.getName());
						}
					}
				}
			}
		}
		return names;
	}

	private static void addIfAnnotation(String name, @Nullable ClassLoader classLoader, Set<String> names) {
		try {
			if (ClassUtils.forName(name, classLoader).isAnnotation()) {
				names.add(name);
			}
		}
		catch (Throwable ex) {
			// Not a type (a package or a pointcut method): nothing to match
		}
	}

	/**
	 * Whether a class could hold a join point of an aspect: it, a superclass or an interface
	 * carries one of the aspect's annotations on the type or on a declared method.
	 */
	boolean mayCarry(Class<?> targetClass, Set<String> annotations) {
		Set<String> present = this.annotationsByClass.computeIfAbsent(targetClass,
				AnnotationAspectAdvisorFactory::annotationsInHierarchy);
		if (present.contains(UNKNOWN)) {
			return true;
		}
		for (String annotation : annotations) {
			if (present.contains(annotation)) {
				return true;
			}
		}
		return false;
	}

	private static Set<String> annotationsInHierarchy(Class<?> targetClass) {
		Set<String> names = new HashSet<>();
		try {
			Set<Class<?>> types = new HashSet<>(ClassUtils.getAllInterfacesForClassAsSet(targetClass));
			for (Class<?> type = targetClass; type != null && type != Object.class; type = type.getSuperclass()) {
				types.add(type);
			}
			for (Class<?> type : types) {
				addNames(type.getDeclaredAnnotations(), names);
				for (Method method : type.getDeclaredMethods()) {
					addNames(method.getDeclaredAnnotations(), names);
				}
			}
		}
		catch (Throwable ex) {
			// A signature referring to a missing class: let AspectJ decide as it always has
			names.add(UNKNOWN);
		}
		return names;
	}

	private static void addNames(Annotation[] annotations, Set<String> names) {
		for (Annotation annotation : annotations) {
			names.add(annotation.annotationType().getName());
		}
	}

	/**
	 * An aspect's advisor whose pointcut asks the prefilter before AspectJ; everything else
	 * (advice, order, precedence, lazy instantiation) is the original advisor's.
	 */
	static final class PrefilteredAdvisor
			implements InstantiationModelAwarePointcutAdvisor, AspectJPrecedenceInformation, Ordered {

		private final InstantiationModelAwarePointcutAdvisor delegate;

		private final Pointcut pointcut;

		PrefilteredAdvisor(InstantiationModelAwarePointcutAdvisor delegate, ClassFilter prefilter) {
			this.delegate = delegate;
			Pointcut original = delegate.getPointcut();
			ClassFilter classFilter = (clazz) -> prefilter.matches(clazz) && original.getClassFilter().matches(clazz);
			this.pointcut = new Pointcut() {

				@Override
				public ClassFilter getClassFilter() {
					return classFilter;
				}

				@Override
				public MethodMatcher getMethodMatcher() {
					return original.getMethodMatcher();
				}

			};
		}

		@Override
		public Pointcut getPointcut() {
			return this.pointcut;
		}

		@Override
		public Advice getAdvice() {
			return this.delegate.getAdvice();
		}

		@Override
		public boolean isLazy() {
			return this.delegate.isLazy();
		}

		@Override
		public boolean isAdviceInstantiated() {
			return this.delegate.isAdviceInstantiated();
		}

		@Override
		public int getOrder() {
			return ((Ordered) this.delegate).getOrder();
		}

		@Override
		public String getAspectName() {
			return ((AspectJPrecedenceInformation) this.delegate).getAspectName();
		}

		@Override
		public int getDeclarationOrder() {
			return ((AspectJPrecedenceInformation) this.delegate).getDeclarationOrder();
		}

		@Override
		public boolean isBeforeAdvice() {
			return ((AspectJPrecedenceInformation) this.delegate).isBeforeAdvice();
		}

		@Override
		public boolean isAfterAdvice() {
			return ((AspectJPrecedenceInformation) this.delegate).isAfterAdvice();
		}

		@Override
		public String toString() {
			return "Prefiltered " + this.delegate;
		}

	}

}
