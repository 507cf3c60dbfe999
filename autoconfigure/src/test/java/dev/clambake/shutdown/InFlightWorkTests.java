package dev.clambake.shutdown;

import java.time.Duration;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InFlightWorkTests {

	private final InFlightWork inFlight = new InFlightWork();

	@Test
	void workIsTrackedUntilClosedAndClosingTwiceIsHarmless() {
		InFlightWork.Work first = this.inFlight.begin("first");
		InFlightWork.Work second = this.inFlight.begin("second");
		assertThat(this.inFlight.running()).extracting(InFlightWork.Work::name).containsExactly("first", "second");
		first.close();
		first.close();
		assertThat(this.inFlight.running()).containsExactly(second);
		second.close();
		assertThat(this.inFlight.running()).isEmpty();
	}

	@Test
	void afterShutdownBeganNewWorkIsRefusedButRunningWorkIsStillTracked() throws InterruptedException {
		InFlightWork.Work running = this.inFlight.begin("running");
		this.inFlight.refuseNew();
		assertThat(this.inFlight.isAccepting()).isFalse();
		assertThatExceptionOfType(ShutdownRefusedException.class).isThrownBy(() -> this.inFlight.begin("bundle"))
			.withMessageStartingWith("Work 'bundle' refused: shutdown began")
			.withMessageContaining("would be lost");
		assertThat(this.inFlight.awaitIdle(Duration.ofMillis(50))).containsExactly(running);
		running.close();
		assertThat(this.inFlight.awaitIdle(Duration.ofMillis(50))).isEmpty();
	}

	@Test
	void taskRejectedByTheDelegateIsNotLeftInFlight() {
		Executor rejecting = (task) -> {
			throw new java.util.concurrent.RejectedExecutionException("full");
		};
		Executor tracked = this.inFlight.executor("task", rejecting);
		assertThatExceptionOfType(java.util.concurrent.RejectedExecutionException.class)
			.isThrownBy(() -> tracked.execute(() -> {
			}));
		assertThat(this.inFlight.running()).isEmpty();
	}

	@Test
	void workNeedsAName() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.inFlight.begin(" "));
	}

}
