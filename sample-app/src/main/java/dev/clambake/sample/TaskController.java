package dev.clambake.sample;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.clambake.state.StateAuditRecord;
import dev.clambake.state.StateConflictException;
import dev.clambake.state.StatePage;
import dev.clambake.state.StateRecord;
import dev.clambake.state.StateStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tasks kept in the state store: create, read, update with {@code If-Match}, claim by an agent,
 * delete, list with paging and read the audit trail. Absent when the state store is switched off
 * ({@code clambake.state.enabled=false}).
 */
@RestController
@ConditionalOnBooleanProperty(name = "clambake.state.enabled", matchIfMissing = true)
@RequestMapping("/api/tasks")
class TaskController {

	static final String NAMESPACE = "tasks";

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final Pattern AGENT = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");

	private static final int MAX_TITLE = 200;

	private static final int CLAIM_ATTEMPTS = 5;

	private final StateStore store;

	private final JsonMapper json;

	TaskController(StateStore store, JsonMapper json) {
		this.store = store;
		this.json = json;
	}

	@PostMapping
	ResponseEntity<Task> create(@RequestBody TaskRequest request,
			@RequestHeader(name = "X-Actor", required = false) @Nullable String actor) {
		String id = (request.id() != null) ? validId(request.id()) : UUID.randomUUID().toString();
		StateRecord record = this.store.create(NAMESPACE, id, write(new TaskDocument(validTitle(request.title()), null)),
				actor);
		Task task = task(record);
		return ResponseEntity.created(URI.create("/api/tasks/" + id)).eTag(etag(task.version())).body(task);
	}

	@GetMapping("/{id}")
	ResponseEntity<Task> get(@PathVariable String id) {
		Task task = task(find(id));
		return ResponseEntity.ok().eTag(etag(task.version())).body(task);
	}

	@PutMapping("/{id}")
	ResponseEntity<Task> update(@PathVariable String id, @RequestBody TaskRequest request,
			@RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch,
			@RequestHeader(name = "X-Actor", required = false) @Nullable String actor) {
		if (ifMatch == null) {
			throw new PreconditionRequiredException();
		}
		long version = parseVersion(ifMatch);
		String title = validTitle(request.title());
		TaskDocument current = read(find(id));
		StateRecord updated = this.store.replace(NAMESPACE, validId(id),
				write(new TaskDocument(title, current.claimedBy())), version, actor);
		Task task = task(updated);
		return ResponseEntity.ok().eTag(etag(task.version())).body(task);
	}

	@PostMapping("/{id}/claim")
	ResponseEntity<Task> claim(@PathVariable String id, @RequestBody ClaimRequest request) {
		String agent = request.agent();
		if (agent == null || !AGENT.matcher(agent).matches()) {
			throw new IllegalArgumentException("agent must be 1 to 64 characters of A-Z a-z 0-9 . _ : @ -");
		}
		for (int attempt = 1;; attempt++) {
			StateRecord record = find(id);
			TaskDocument document = read(record);
			if (document.claimedBy() != null) {
				if (document.claimedBy().equals(agent)) {
					return ResponseEntity.ok().eTag(etag(record.version())).body(task(record));
				}
				throw new AlreadyClaimedException(id, document.claimedBy(), record.version());
			}
			try {
				StateRecord claimed = this.store.replace(NAMESPACE, id,
						write(new TaskDocument(document.title(), agent)), record.version(), agent);
				return ResponseEntity.ok().eTag(etag(claimed.version())).body(task(claimed));
			}
			catch (StateConflictException ex) {
				// Changed since we read it: look again; it is most likely claimed now
				if (attempt >= CLAIM_ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id,
			@RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch,
			@RequestHeader(name = "X-Actor", required = false) @Nullable String actor) {
		long version = (ifMatch != null) ? parseVersion(ifMatch) : find(id).version();
		this.store.delete(NAMESPACE, validId(id), version, actor);
		return ResponseEntity.noContent().build();
	}

	@GetMapping
	TaskPage list(@RequestParam(defaultValue = "20") int pageSize, @RequestParam(required = false) @Nullable String pageToken) {
		if (pageSize < 1 || pageSize > 100) {
			throw new IllegalArgumentException("pageSize must be between 1 and 100");
		}
		StatePage<StateRecord> page = this.store.list(NAMESPACE, "", pageToken, pageSize);
		return new TaskPage(page.items().stream().map(this::task).toList(), page.nextPageToken());
	}

	@GetMapping("/{id}/audit")
	List<StateAuditRecord> audit(@PathVariable String id) {
		return this.store.audit(NAMESPACE, validId(id), null, 100).items();
	}

	private StateRecord find(String id) {
		return this.store.get(NAMESPACE, validId(id)).orElseThrow(() -> new TaskNotFoundException(id));
	}

	private Task task(StateRecord record) {
		TaskDocument document = read(record);
		return new Task(record.key(), document.title(), document.claimedBy(), record.version(), record.createdAt(),
				record.updatedAt());
	}

	private TaskDocument read(StateRecord record) {
		return this.json.readValue(record.value(), TaskDocument.class);
	}

	private String write(TaskDocument document) {
		return this.json.writeValueAsString(document);
	}

	private static String validId(String id) {
		if (!ID.matcher(id).matches()) {
			throw new IllegalArgumentException("id must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
		}
		return id;
	}

	private static String validTitle(@Nullable String title) {
		if (title == null || title.isBlank() || title.length() > MAX_TITLE) {
			throw new IllegalArgumentException("title is required, at most " + MAX_TITLE + " characters");
		}
		return title;
	}

	private static long parseVersion(String ifMatch) {
		String value = ifMatch.trim();
		if (value.startsWith("W/")) {
			value = value.substring(2);
		}
		if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			value = value.substring(1, value.length() - 1);
		}
		try {
			long version = Long.parseLong(value);
			if (version >= 1) {
				return version;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("If-Match must be a task version, e.g. \"3\"");
	}

	private static String etag(long version) {
		return "\"" + version + "\"";
	}

	record TaskRequest(@Nullable String id, @Nullable String title) {
	}

	record ClaimRequest(@Nullable String agent) {
	}

	record TaskDocument(String title, @Nullable String claimedBy) {
	}

	record Task(String id, String title, @Nullable String claimedBy, long version, Instant createdAt,
			Instant updatedAt) {
	}

	record TaskPage(List<Task> items, @Nullable String nextPageToken) {
	}

	static class TaskNotFoundException extends RuntimeException {

		TaskNotFoundException(String id) {
			super("No task " + id);
		}

	}

	static class AlreadyClaimedException extends RuntimeException {

		private final long currentVersion;

		AlreadyClaimedException(String id, String agent, long currentVersion) {
			super("Task " + id + " is already claimed by " + agent);
			this.currentVersion = currentVersion;
		}

		long getCurrentVersion() {
			return this.currentVersion;
		}

	}

	static class PreconditionRequiredException extends RuntimeException {

		PreconditionRequiredException() {
			super("Updates need an If-Match header with the version being updated");
		}

	}

}
