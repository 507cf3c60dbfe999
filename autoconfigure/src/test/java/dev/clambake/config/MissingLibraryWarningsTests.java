package dev.clambake.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.clambake.config.MissingLibraryWarnings.Capability;
import dev.clambake.config.MissingLibraryWarnings.Library;
import dev.clambake.tracing.ClambakeTracingAutoConfiguration;
import io.github.resilience4j.retry.Retry;
import io.micrometer.tracing.Tracer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class MissingLibraryWarningsTests {

	private static final String LOGGER = MissingLibraryWarnings.class.getName();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ClambakeConfigAutoConfiguration.class, ClambakeTracingAutoConfiguration.class));

	@Test
	void aPropertyForACapabilityWithoutItsLibraryLogsOneWarnNamingTheLibrary(CapturedOutput output) {
		this.runner.withClassLoader(new FilteredClassLoader(Tracer.class))
			.withPropertyValues("clambake.tracing.log-spans=true")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ClambakeTracingAutoConfiguration.class);
				List<String> warnings = warnings(output);
				assertThat(warnings).hasSize(1);
				assertThat(warnings.get(0)).contains("Clambake tracing is off")
					.contains("io.micrometer.tracing.Tracer (io.micrometer:micrometer-tracing)")
					.contains("clambake.tracing.log-spans")
					.doesNotContain("opentelemetry");
			});
	}

	@Test
	void eachCapabilityOffForWantOfALibraryLogsOneWarnNamingEveryPropertySet(CapturedOutput output) {
		this.runner.withClassLoader(new FilteredClassLoader(Tracer.class, Retry.class))
			.withPropertyValues("clambake.tracing.log-spans=true", "clambake.tracing.fast-paths.sampled-span-meters=false",
					"clambake.http.clients.upstream.base-url=http://127.0.0.1:8081")
			.run((context) -> {
				List<String> warnings = warnings(output);
				assertThat(warnings).hasSize(2);
				assertThat(warnings).filteredOn((line) -> line.contains("Clambake tracing is off"))
					.singleElement(InstanceOfAssertFactories.STRING)
					.contains("clambake.tracing.fast-paths.sampled-span-meters, clambake.tracing.log-spans have no effect");
				assertThat(warnings).filteredOn((line) -> line.contains("Clambake resilience is off"))
					.singleElement(InstanceOfAssertFactories.STRING)
					.contains("io.github.resilience4j.retry.Retry (io.github.resilience4j:resilience4j-retry)")
					.contains("clambake.http.clients.upstream.base-url has no effect")
					.doesNotContain("resilience4j-circuitbreaker");
			});
	}

	@Test
	void aCapabilitySwitchedOnExplicitlyWithoutItsLibrariesStopsStartUpNamingThem() {
		this.runner.withClassLoader(new FilteredClassLoader(Tracer.class))
			.withPropertyValues("clambake.tracing.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(CapabilityLibrariesMissingException.class)
				.hasMessageContaining("Clambake was asked for tracing (clambake.tracing.enabled=true)")
				.hasMessageContaining("io.micrometer.tracing.Tracer (io.micrometer:micrometer-tracing)")
				.satisfies((failure) -> assertThat(((CapabilityLibrariesMissingException) failure).getAction())
					.contains("remove clambake.tracing.enabled")));
	}

	@Test
	void aSwitchOnFromClambakeDefaultsIsNotTheApplicationAskingForTheCapability(CapturedOutput output) {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("clambakeTracingDefaults", Map.of("clambake.tracing.enabled", "true"))))
			.withClassLoader(new FilteredClassLoader(Tracer.class))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aSwitchedOnCapabilityWithItsLibrariesStarts() {
		this.runner.withPropertyValues("clambake.tracing.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ClambakeTracingAutoConfiguration.class));
	}

	@Test
	void anEnvironmentVariableCountsUnderThePropertyItSets(CapturedOutput output) {
		this.runner.withInitializer(TestEnvironments.create().env("CLAMBAKE_TRACING_LOG_SPANS", "true").initializer())
			.withClassLoader(new FilteredClassLoader(Tracer.class))
			.run((context) -> assertThat(warnings(output)).singleElement()
				.asString()
				.contains("so environment variable CLAMBAKE_TRACING_LOG_SPANS has no effect"));
	}

	@Test
	void withoutAPropertyForTheCapabilityNothingIsLogged(CapturedOutput output) {
		this.runner.withClassLoader(new FilteredClassLoader(Tracer.class))
			.withPropertyValues("clambake.environment=staging")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(MissingLibraryWarnings.class);
				assertThat(warnings(output)).isEmpty();
			});
	}

	@Test
	void aCapabilityThatIsOnLogsNothing(CapturedOutput output) {
		this.runner.withPropertyValues("clambake.tracing.log-spans=true").run((context) -> {
			assertThat(context).hasSingleBean(ClambakeTracingAutoConfiguration.class);
			assertThat(warnings(output)).isEmpty();
		});
	}

	@Test
	void aCapabilitySwitchedOffLogsNothing(CapturedOutput output) {
		this.runner.withClassLoader(new FilteredClassLoader(Tracer.class))
			.withPropertyValues("clambake.tracing.enabled=false", "clambake.tracing.log-spans=true")
			.run((context) -> assertThat(warnings(output)).isEmpty());
	}

	@Test
	void clambakeDefaultsAreNotPropertiesTheApplicationSet(CapturedOutput output) {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("clambakeTracingDefaults", Map.of("clambake.tracing.log-spans", "true"))))
			.withClassLoader(new FilteredClassLoader(Tracer.class))
			.run((context) -> assertThat(warnings(output)).isEmpty());
	}

	@Test
	void theStoreIsOffByDefaultSoItsPropertiesAloneLogNothing(CapturedOutput output) {
		this.runner.withClassLoader(new FilteredClassLoader("com.zaxxer.hikari"))
			.withPropertyValues("clambake.state.url=jdbc:sqlite:./data/x.db")
			.run((context) -> assertThat(warnings(output)).isEmpty());
	}

	@Test
	void theTableNamesExactlyTheClassesEachAutoConfigurationIsConditionalOn() throws Exception {
		Set<String> listed = MissingLibraryWarnings.CAPABILITIES.stream()
			.map(Capability::name)
			.collect(Collectors.toSet());
		for (String name : ClambakeCapability.NAMES) {
			Class<?> autoConfiguration = Class.forName(
					"dev.clambake." + name + ".Clambake" + StringUtils.capitalize(name) + "AutoConfiguration");
			ConditionalOnClass onClass = autoConfiguration.getAnnotation(ConditionalOnClass.class);
			if (onClass == null) {
				assertThat(listed).as(name).doesNotContain(name);
				continue;
			}
			Capability capability = MissingLibraryWarnings.CAPABILITIES.stream()
				.filter((candidate) -> candidate.name().equals(name))
				.findFirst()
				.orElseThrow(() -> new AssertionError(name + " is conditional on classes but not listed"));
			List<String> conditional = Arrays.stream(onClass.value()).map(Class::getName).toList();
			assertThat(capability.libraries()).extracting(Library::className)
				.as(name)
				.containsExactlyInAnyOrderElementsOf(conditional);
			assertThat(capability.prefixes()).as(name).contains("clambake." + name);
			ConditionalOnBooleanProperty enabled = autoConfiguration.getAnnotation(ConditionalOnBooleanProperty.class);
			assertThat(enabled.name()).as(name).containsExactly("clambake." + name + ".enabled");
			assertThat(capability.onByDefault()).as(name).isEqualTo(enabled.matchIfMissing());
		}
		assertThat(ClambakeCapability.NAMES).containsAll(listed);
	}

	@Test
	void eachClassComesFromTheArtifactNamedForIt() throws Exception {
		for (Capability capability : MissingLibraryWarnings.CAPABILITIES) {
			for (Library library : capability.libraries()) {
				String[] coordinates = library.coordinates().split(":");
				String location = ClassUtils.forName(library.className(), null)
					.getProtectionDomain()
					.getCodeSource()
					.getLocation()
					.toString();
				assertThat(location).as(library.className())
					.contains("/" + coordinates[0].replace('.', '/') + "/" + coordinates[1] + "/");
			}
		}
	}

	private static List<String> warnings(CapturedOutput output) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains(" WARN ") && line.contains(LOGGER))
			.toList();
	}

}
