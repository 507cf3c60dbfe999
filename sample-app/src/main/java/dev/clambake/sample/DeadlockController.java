package dev.clambake.sample;

import java.util.concurrent.CountDownLatch;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-only: deadlocks two threads on two monitors, so an end-to-end test can watch the
 * liveness probe see the hang. Registered only with {@code sample.test.deadlock-endpoint=true};
 * never set it in a deployment.
 */
@RestController
@ConditionalOnBooleanProperty("sample.test.deadlock-endpoint")
class DeadlockController {

	@PostMapping("/api/test/deadlock")
	String deadlock() throws InterruptedException {
		Object first = new Object();
		Object second = new Object();
		CountDownLatch bothHold = new CountDownLatch(2);
		thread("sample-deadlock-a", first, second, bothHold).start();
		thread("sample-deadlock-b", second, first, bothHold).start();
		bothHold.await();
		return "deadlocked";
	}

	private static Thread thread(String name, Object mine, Object theirs, CountDownLatch bothHold) {
		Thread thread = new Thread(() -> {
			synchronized (mine) {
				bothHold.countDown();
				try {
					bothHold.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				synchronized (theirs) {
					// never reached
					theirs.notifyAll();
				}
			}
		}, name);
		thread.setDaemon(true);
		return thread;
	}

}
