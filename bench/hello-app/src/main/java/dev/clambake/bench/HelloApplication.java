package dev.clambake.bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.metrics.jfr.FlightRecorderApplicationStartup;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample app's {@code /api/hello}, with nothing else: the baseline of the overhead benchmark.
 * With {@code -Dbench.startup-steps=true} Spring's start-up steps are recorded as Flight Recorder
 * events, for {@code bench/startup-steps.sh}.
 */
@SpringBootApplication
public class HelloApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(HelloApplication.class);
		if (Boolean.getBoolean("bench.startup-steps")) {
			application.setApplicationStartup(new FlightRecorderApplicationStartup());
		}
		application.run(args);
	}

	@RestController
	@RequestMapping("/api")
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
