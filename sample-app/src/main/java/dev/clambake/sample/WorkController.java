package dev.clambake.sample;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Trivial endpoints: one for overhead benchmarks, one that holds a request for drain tests.
 */
@RestController
@RequestMapping("/api")
class WorkController {

	static final long MAX_WORK_MS = 60_000;

	@GetMapping("/hello")
	String hello() {
		return "hello";
	}

	@GetMapping("/work")
	String work(@RequestParam long ms) throws InterruptedException {
		if (ms < 0 || ms > MAX_WORK_MS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "ms must be between 0 and " + MAX_WORK_MS);
		}
		Thread.sleep(ms);
		return "worked " + ms + "ms";
	}

}
