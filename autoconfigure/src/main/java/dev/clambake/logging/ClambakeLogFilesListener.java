package dev.clambake.logging;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Adds the optional JSON log files once Spring Boot has initialised Logback, when
 * {@code clambake.logging.file.dir} is set: {@code application.log} (everything),
 * {@code errors.log} (ERROR only) and {@code performance.log} (the {@value #PERFORMANCE_LOGGER}
 * logger), each rolled daily and kept {@code max-history} days under a total size cap.
 */
public class ClambakeLogFilesListener implements GenericApplicationListener {

	/**
	 * The logger whose lines go to the performance log: slow-operation warnings.
	 */
	public static final String PERFORMANCE_LOGGER = "clambake.slow-operations";

	static final String APPLICATION_APPENDER = "CLAMBAKE_APPLICATION_FILE";

	static final String ERRORS_APPENDER = "CLAMBAKE_ERRORS_FILE";

	static final String PERFORMANCE_APPENDER = "CLAMBAKE_PERFORMANCE_FILE";

	private static final boolean LOGBACK_PRESENT = ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext",
			ClambakeLogFilesListener.class.getClassLoader());

	@Override
	public int getOrder() {
		// Right after Spring Boot's listener has (re)initialised the logging system
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType.toClass());
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (LOGBACK_PRESENT && event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			Logback.configure(prepared.getEnvironment());
		}
	}

	private static final class Logback {

		static void configure(ConfigurableEnvironment environment) {
			ILoggerFactory factory = LoggerFactory.getILoggerFactory();
			if (!(factory instanceof LoggerContext context)) {
				return;
			}
			Binder binder = Binder.get(environment);
			ClambakeLoggingProperties properties = binder
				.bind(ClambakeLoggingProperties.PREFIX, ClambakeLoggingProperties.class)
				.orElseGet(ClambakeLoggingProperties::new);
			Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
			Logger performance = context.getLogger(PERFORMANCE_LOGGER);
			Path dir = properties.getFile().getDir();
			if (!properties.isEnabled() || dir == null) {
				replace(root, APPLICATION_APPENDER, null);
				replace(root, ERRORS_APPENDER, null);
				replace(performance, PERFORMANCE_APPENDER, null);
				return;
			}
			String format = environment.getProperty("logging.structured.format.console");
			if (!StringUtils.hasText(format)) {
				format = ClambakeLoggingEnvironmentPostProcessor.JSON_FORMAT;
			}
			ClambakeLoggingProperties.File file = properties.getFile();
			replace(root, APPLICATION_APPENDER, appender(context, APPLICATION_APPENDER, dir, "application", format,
					file, null));
			replace(root, ERRORS_APPENDER,
					appender(context, ERRORS_APPENDER, dir, "errors", format, file, Level.ERROR));
			replace(performance, PERFORMANCE_APPENDER,
					appender(context, PERFORMANCE_APPENDER, dir, "performance", format, file, null));
		}

		private static void replace(Logger logger, String name, @Nullable Appender<ILoggingEvent> appender) {
			Appender<ILoggingEvent> existing = logger.getAppender(name);
			if (existing != null) {
				logger.detachAppender(existing);
				existing.stop();
			}
			if (appender != null) {
				logger.addAppender(appender);
			}
		}

		private static RollingFileAppender<ILoggingEvent> appender(LoggerContext context, String name, Path dir,
				String baseName, String format, ClambakeLoggingProperties.File file, @Nullable Level threshold) {
			Path directory = dir.toAbsolutePath();
			RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
			appender.setContext(context);
			appender.setName(name);
			appender.setFile(directory.resolve(baseName + ".log").toString());
			TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
			policy.setContext(context);
			policy.setParent(appender);
			policy.setFileNamePattern(directory.resolve(baseName + ".%d{yyyy-MM-dd}.log").toString());
			policy.setMaxHistory(file.getMaxHistory());
			policy.setTotalSizeCap(new FileSize(file.getTotalSizeCap().toBytes()));
			policy.start();
			appender.setRollingPolicy(policy);
			StructuredLogEncoder encoder = new StructuredLogEncoder();
			encoder.setContext(context);
			encoder.setFormat(format);
			encoder.setCharset(StandardCharsets.UTF_8);
			encoder.start();
			appender.setEncoder(encoder);
			if (threshold != null) {
				ThresholdFilter filter = new ThresholdFilter();
				filter.setContext(context);
				filter.setLevel(threshold.toString());
				filter.start();
				appender.addFilter(filter);
			}
			appender.start();
			return appender;
		}

	}

}
