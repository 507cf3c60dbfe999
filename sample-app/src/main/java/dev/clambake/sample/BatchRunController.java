package dev.clambake.sample;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.clambake.state.StatePage;
import dev.clambake.state.StateRecord;
import dev.clambake.state.StateStore;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/batch-runs}: the runs of {@link SampleBatchJob} on every replica sharing the
 * store, newest (highest fencing token) first, paged with {@code pageSize} and
 * {@code pageToken}; an outside observer can check from them that no two runs overlapped.
 */
@RestController
@ConditionalOnBooleanProperty(name = "clambake.state.enabled", matchIfMissing = true)
@RequestMapping("/api/batch-runs")
class BatchRunController {

	private final StateStore store;

	private final JsonMapper json;

	BatchRunController(StateStore store, JsonMapper json) {
		this.store = store;
		this.json = json;
	}

	@GetMapping
	BatchRunPage list(@RequestParam(defaultValue = "20") int pageSize,
			@RequestParam(required = false) @Nullable String pageToken) {
		if (pageSize < 1 || pageSize > 100) {
			throw new IllegalArgumentException("pageSize must be between 1 and 100");
		}
		StatePage<StateRecord> page = this.store.list(SampleBatchJob.RUNS_NAMESPACE, "", pageToken, pageSize);
		List<SampleBatchJob.BatchRun> runs = page.items()
			.stream()
			.map((record) -> this.json.readValue(record.value(), SampleBatchJob.BatchRun.class))
			.toList();
		return new BatchRunPage(runs, page.nextPageToken());
	}

	record BatchRunPage(List<SampleBatchJob.BatchRun> items, @Nullable String nextPageToken) {

	}

}
