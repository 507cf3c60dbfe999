package dev.clambake.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logging as a real application starts it: Spring Boot's logging system initialised from the
 * environment Clambake's post-processor prepared, then Clambake's files.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClambakeLoggingTests {

	private static final Logger logger = LoggerFactory.getLogger(ClambakeLoggingTests.class);

	@TempDir
	Path directory;

	@Test
	void jsonModeWritesOneParsableLinePerEventWithEveryField(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("clambake.environment=production")) {
			MDC.put("correlationId", "json-1");
			MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
			MDC.put("spanId", "00f067aa0ba902b7");
			try {
				logger.info("forged?\r\n{\"level\":\"ERROR\",\"message\":\"forged\"}\nend");
				logger.error("failed", new IllegalStateException("boom"));
			}
			finally {
				MDC.clear();
			}
		}
		List<String> lines = output.getOut().lines().filter((line) -> !line.isBlank()).toList();
		assertThat(lines).isNotEmpty();
		for (String line : lines) {
			Map<String, Object> json = JsonParserFactory.getJsonParser().parseMap(line);
			assertThat(json).as(line)
				.containsKeys("@timestamp", "level", "logger_name", "thread_name", "message")
				.containsEntry("service_name", "logging-test")
				.containsEntry("environment", "production");
		}
		List<Map<String, Object>> mine = lines.stream()
			.map((line) -> JsonParserFactory.getJsonParser().parseMap(line))
			.filter((json) -> ClambakeLoggingTests.class.getName().equals(json.get("logger_name")))
			.toList();
		assertThat(mine).hasSize(2);
		assertThat(mine.get(0)).containsEntry("message",
				"forged?\r\n{\"level\":\"ERROR\",\"message\":\"forged\"}\nend")
			.containsEntry("correlationId", "json-1")
			.containsEntry("traceId", "4bf92f3577b34da6a3ce929d0e0e4736")
			.containsEntry("spanId", "00f067aa0ba902b7")
			.doesNotContainKey("stack_trace");
		assertThat(mine.get(1)).containsEntry("level", "ERROR");
		assertThat((String) mine.get(1).get("stack_trace")).contains("IllegalStateException: boom")
			.contains("at dev.clambake.logging.ClambakeLoggingTests");
	}

	@Test
	void developmentLogsHumanReadableLines(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run()) {
			logger.info("plain line");
		}
		assertThat(output.getOut()).contains("plain line").doesNotContain("\"message\":\"plain line\"");
	}

	@Test
	void filesSplitApplicationErrorsAndSlowOperations() throws IOException {
		try (ConfigurableApplicationContext context = run("clambake.logging.file.dir=" + this.directory)) {
			logger.info("an info line");
			logger.error("an error line");
			LoggerFactory.getLogger(ClambakeLogFilesListener.PERFORMANCE_LOGGER).warn("slow: db.query took 2s");
		}
		List<Map<String, Object>> application = read("application.log");
		List<Map<String, Object>> errors = read("errors.log");
		List<Map<String, Object>> performance = read("performance.log");
		assertThat(application).extracting((json) -> json.get("message"))
			.contains("an info line", "an error line", "slow: db.query took 2s");
		assertThat(errors).extracting((json) -> json.get("message")).containsExactly("an error line");
		assertThat(performance).extracting((json) -> json.get("message")).containsExactly("slow: db.query took 2s");
		assertThat(application).allSatisfy((json) -> assertThat(json).containsEntry("environment", "development"));
	}

	@Test
	void noDirectoryMeansNoFiles() throws IOException {
		try (ConfigurableApplicationContext context = run()) {
			logger.error("an error line");
			ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory
				.getLogger(Logger.ROOT_LOGGER_NAME);
			assertThat(root.getAppender(ClambakeLogFilesListener.APPLICATION_APPENDER)).isNull();
			assertThat(root.getAppender(ClambakeLogFilesListener.ERRORS_APPENDER)).isNull();
		}
		try (var files = Files.list(this.directory)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void disabledWritesNoFilesEvenWithADirectory() throws IOException {
		try (ConfigurableApplicationContext context = run("clambake.logging.enabled=false",
				"clambake.logging.file.dir=" + this.directory)) {
			logger.error("an error line");
		}
		try (var files = Files.list(this.directory)) {
			assertThat(files).isEmpty();
		}
	}

	private List<Map<String, Object>> read(String name) throws IOException {
		Path file = this.directory.resolve(name);
		assertThat(file).exists();
		return Files.readAllLines(file, StandardCharsets.UTF_8)
			.stream()
			.map((line) -> JsonParserFactory.getJsonParser().parseMap(line))
			.toList();
	}

	private ConfigurableApplicationContext run(String... properties) {
		return new SpringApplicationBuilder(LoggingApplication.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=logging-test")
			.properties(properties)
			.run();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	// The test class path holds JDBC for the state store's tests; this app has no database
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	static class LoggingApplication {

	}

}
