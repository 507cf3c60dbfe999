package dev.clambake.state;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.docs.ObservationDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * The observation of each state store operation, {@value #NAME}: a span when the trace is
 * sampled ({@code state <operation>}), the timer {@code clambake.state.operation} and the
 * long-task timer {@code clambake.state.operation.active} from Micrometer's meter handler, and
 * a slow-operation warning past {@code clambake.observability.slow-thresholds.clambake.state.operation}
 * (else {@code clambake.observability.slow-threshold}). The counter
 * {@code clambake.state.operations} and the histogram {@code clambake.state.operation.duration}
 * stay as they were ({@link StateStoreMetrics}).
 */
public enum StateStoreObservation implements ObservationDocumentation {

	/**
	 * A state store operation.
	 */
	OPERATION {

		@Override
		public String getName() {
			return NAME;
		}

		@Override
		public String getContextualName() {
			return "state operation";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeys.values();
		}

	};

	/**
	 * The observation's name.
	 */
	public static final String NAME = "clambake.state.operation";

	static Observation start(String operation, ObservationRegistry registry) {
		return OPERATION.observation(registry, Observation.Context::new)
			.contextualName("state " + operation)
			.lowCardinalityKeyValue(LowCardinalityKeys.OPERATION.asString(), operation)
			.start();
	}

	static void stop(Observation observation, String outcome, @Nullable Throwable failure) {
		observation.lowCardinalityKeyValue(LowCardinalityKeys.OUTCOME.asString(), outcome);
		if (failure != null) {
			observation.error(failure);
		}
		observation.stop();
	}

	/**
	 * The observation's low-cardinality keys, tags of its timer.
	 */
	public enum LowCardinalityKeys implements KeyName {

		/**
		 * The operation: get, create, replace, delete, list, audit or count.
		 */
		OPERATION {
			@Override
			public String asString() {
				return "operation";
			}
		},

		/**
		 * The outcome: success, not_found, conflict, invalid, busy, unavailable or error.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

}
