package dev.clambake;

import java.util.List;
import java.util.Map;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

import dev.clambake.config.ClambakeCapability;
import dev.clambake.config.StartupSummaryContributor;
import dev.clambake.health.ClambakeReadinessMember;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Controller;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The house rules of CONTRIBUTING.md, checked over the compiled main classes: the order in
 * which capability packages may use each other, beans a user can replace, configuration
 * classes without proxies and no component scanning. Each rule is also run against a class
 * that breaks it, so a rule that stopped matching anything would fail here.
 */
class ArchitectureTests {

	/**
	 * The capability packages in order: a package may use only the packages before it.
	 */
	static final List<String> LAYERS = List.of("config", "correlation", "logging", "tracing", "metrics", "health",
			"shutdown", "resilience", "state", "lease", "report");

	/**
	 * {@code @Bean} methods that are not {@code @ConditionalOnMissingBean}, and why.
	 */
	static final Map<String, String> NOT_CONDITIONAL_ON_MISSING_BEAN = Map.of(
			"ClambakeConfigAutoConfiguration.clambakePropertiesLazyInitializationExcludeFilter",
			"Spring Boot applies every LazyInitializationExcludeFilter bean: another cannot replace it, and it"
					+ " only keeps Clambake's properties eager so that a bad value still stops start-up",
			"ClambakeStateLibrariesAutoConfiguration.stateLibrariesCheck",
			"A check, not a service: it stops start-up when clambake.state.enabled=true lacks a library, and"
					+ " nothing may take its place",
			"ClambakeStateLibrariesAutoConfiguration.stateLibrariesCheckLazyInitializationExcludeFilter",
			"Spring Boot applies every LazyInitializationExcludeFilter bean: it only keeps the libraries check"
					+ " eager so that a missing library still stops start-up",
			"ClambakeHealthAutoConfiguration$ProbeGroupMembersConfiguration.clambakeProbeGroupMembersPostProcessor",
			"Spring Boot applies every HealthEndpointGroupsPostProcessor: another cannot replace it, and it only"
					+ " adds ClambakeReadinessMember, critical, deadlock, stuck-request and warm-up contributors to the"
					+ " probe groups, which management.endpoint.health.group.<group>.exclude takes out");

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
		.importPackages("dev.clambake");

	private static final JavaClasses VIOLATIONS = new ClassFileImporter().importClasses(ScannedComponent.class,
			ProxiedConfiguration.class, UnconditionalBeans.class);

	@Test
	void everyMainClassIsInAPackageOfTheLayerOrder() {
		assertThat(MAIN).as("main classes").isNotEmpty();
		classes().should()
			.resideInAnyPackage(LAYERS.stream().map((layer) -> "dev.clambake." + layer + "..").toArray(String[]::new))
			.check(MAIN);
	}

	@Test
	void packagesUseOnlyThePackagesBeforeThemInTheLayerOrder() {
		layerOrder(LAYERS).check(MAIN);
	}

	@Test
	void layerOrderRejectsAPackageThatUsesALaterOne() {
		// metrics recognises tracing's handlers: with metrics first, that use breaks the order
		List<String> swapped = List.of("config", "correlation", "logging", "metrics", "tracing", "health", "shutdown",
				"resilience", "state", "report");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> layerOrder(swapped).check(MAIN))
			.withMessageContaining("dev.clambake.metrics.")
			.withMessageContaining("dev.clambake.tracing.");
	}

	@Test
	void beanMethodsAreConditionalOnMissingBeanUnlessTheyRegisterInfrastructure() {
		beansAreReplaceable().check(MAIN);
	}

	@Test
	void everyListedExceptionIsABeanMethodWithoutTheCondition() {
		List<String> unconditional = MAIN.stream()
			.flatMap((type) -> type.getMethods().stream())
			.filter((method) -> method.isAnnotatedWith(Bean.class))
			.filter((method) -> !method.isAnnotatedWith(ConditionalOnMissingBean.class))
			.map(ArchitectureTests::key)
			.toList();
		assertThat(unconditional).containsAll(NOT_CONDITIONAL_ON_MISSING_BEAN.keySet());
	}

	@Test
	void beanRuleRejectsAnUnconditionalBean() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> beansAreReplaceable().check(VIOLATIONS))
			.withMessageContaining("UnconditionalBeans.replaceable()")
			.withMessageNotContaining("UnconditionalBeans.conditional()")
			.withMessageNotContaining("UnconditionalBeans.postProcessor()")
			.withMessageNotContaining("UnconditionalBeans.capability()");
	}

	@Test
	void configurationClassesDoNotProxyBeanMethods() {
		configurationsWithoutProxies().check(MAIN);
	}

	@Test
	void configurationRuleRejectsProxiedConfigurations() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> configurationsWithoutProxies().check(VIOLATIONS))
			.withMessageContaining(ProxiedConfiguration.class.getName())
			.withMessageNotContaining(UnconditionalBeans.class.getName() + " proxies");
	}

	@Test
	void noComponentScanning() {
		noComponents().check(MAIN);
	}

	@Test
	void componentRuleRejectsAComponent() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> noComponents().check(VIOLATIONS))
			.withMessageContaining(ScannedComponent.class.getName());
	}

	private static ArchRule layerOrder(List<String> layers) {
		LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
		for (String layer : layers) {
			architecture = architecture.layer(layer).definedBy("dev.clambake." + layer + "..");
		}
		for (int i = 0; i < layers.size(); i++) {
			List<String> later = layers.subList(i + 1, layers.size());
			architecture = later.isEmpty() ? architecture.whereLayer(layers.get(i)).mayNotBeAccessedByAnyLayer()
					: architecture.whereLayer(layers.get(i)).mayOnlyBeAccessedByLayers(later.toArray(String[]::new));
		}
		return architecture;
	}

	private static ArchRule beansAreReplaceable() {
		return methods().that()
			.areAnnotatedWith(Bean.class)
			.should(new ArchCondition<JavaMethod>("be @ConditionalOnMissingBean unless they register infrastructure") {

				@Override
				public void check(JavaMethod method, ConditionEvents events) {
					boolean replaceable = method.isAnnotatedWith(ConditionalOnMissingBean.class)
							|| method.isAnnotatedWith(ConditionalOnMissingFilterBean.class)
							|| isInfrastructure(method.getRawReturnType())
							|| NOT_CONDITIONAL_ON_MISSING_BEAN.containsKey(key(method));
					events.add(new SimpleConditionEvent(method, replaceable, method.getFullName() + " returns "
							+ method.getRawReturnType().getName() + " and is not @ConditionalOnMissingBean"));
				}

			})
			.allowEmptyShould(false);
	}

	/**
	 * Post-processors rewrite other beans, and markers (a capability that is on, a line of the
	 * start-up summary, a readiness member) are collected, several of a type: a user switches
	 * the capability off, never replaces these.
	 */
	private static boolean isInfrastructure(JavaClass type) {
		return type.isAssignableTo(BeanPostProcessor.class) || type.isAssignableTo(BeanFactoryPostProcessor.class)
				|| type.isAssignableTo(ClambakeCapability.class)
				|| type.isAssignableTo(StartupSummaryContributor.class)
				|| type.isAssignableTo(ClambakeReadinessMember.class);
	}

	private static String key(JavaMethod method) {
		String owner = method.getOwner().getName();
		return owner.substring(owner.lastIndexOf('.') + 1) + "." + method.getName();
	}

	private static ArchRule configurationsWithoutProxies() {
		// @AutoConfiguration is meta-annotated with @Configuration(proxyBeanMethods = false)
		return classes().that()
			.areAnnotatedWith(Configuration.class)
			.should(new ArchCondition<JavaClass>("not proxy their @Bean methods (proxyBeanMethods = false)") {

				@Override
				public void check(JavaClass type, ConditionEvents events) {
					boolean proxies = type.getAnnotationOfType(Configuration.class).proxyBeanMethods();
					events.add(new SimpleConditionEvent(type, !proxies,
							type.getName() + " proxies its @Bean methods: set proxyBeanMethods = false"));
				}

			})
			.allowEmptyShould(false);
	}

	private static ArchRule noComponents() {
		return noClasses().should()
			.beAnnotatedWith(Component.class)
			.orShould()
			.beAnnotatedWith(Service.class)
			.orShould()
			.beAnnotatedWith(Repository.class)
			.orShould()
			.beAnnotatedWith(Controller.class)
			.orShould()
			.beAnnotatedWith(ComponentScan.class)
			.orShould()
			.beAnnotatedWith(SpringBootApplication.class);
	}

	@Component
	static class ScannedComponent {

	}

	@Configuration
	static class ProxiedConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class UnconditionalBeans {

		@Bean
		Object replaceable() {
			return new Object();
		}

		@Bean
		@ConditionalOnMissingBean
		Object conditional() {
			return new Object();
		}

		@Bean
		static BeanPostProcessor postProcessor() {
			return new BeanPostProcessor() {
			};
		}

		@Bean
		ClambakeCapability capability() {
			return new ClambakeCapability("test");
		}

	}

}
