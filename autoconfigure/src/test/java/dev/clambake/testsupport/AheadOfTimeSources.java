package dev.clambake.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.context.ApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

/**
 * The Java sources Spring generates when it processes a prepared, not yet refreshed, context ahead
 * of time, as Spring Boot's {@code process-aot} does at build time.
 */
public final class AheadOfTimeSources {

	private AheadOfTimeSources() {
	}

	/**
	 * Process the context ahead of time.
	 * @param context a context from an application context runner's {@code prepare}
	 * @param target a class whose package names the generated entry points
	 * @return each generated source file's content by its path
	 */
	public static Map<String, String> generate(ApplicationContext context, Class<?> target) {
		InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get(target)), files);
		new ApplicationContextAotGenerator().processAheadOfTime((GenericApplicationContext) context, generation);
		generation.writeGeneratedContent();
		Map<String, String> sources = new LinkedHashMap<>();
		files.getGeneratedFiles(Kind.SOURCE).forEach((path, source) -> {
			try (InputStream in = source.getInputStream()) {
				sources.put(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		return sources;
	}

}
