package dev.clambake.state;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes each committed state store mutation as a Spring Boot {@link AuditApplicationEvent}
 * of type {@code STATE_CREATED}, {@code STATE_UPDATED} or {@code STATE_DELETED} (and
 * {@code STATE_ACQUIRED} or {@code STATE_RELEASED} for a lease), with the actor
 * (or {@value #ANONYMOUS}) as principal.
 */
public class StateAuditEventPublisher implements StateStoreListener {

	/**
	 * Principal of events whose mutation named no actor.
	 */
	public static final String ANONYMOUS = "anonymous";

	private final ApplicationEventPublisher publisher;

	public StateAuditEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onAudit(StateAuditRecord record) {
		Map<String, @Nullable Object> data = new LinkedHashMap<>();
		data.put("namespace", record.namespace());
		data.put("key", record.key());
		data.put("oldVersion", record.oldVersion());
		data.put("newVersion", record.newVersion());
		data.put("auditId", record.id());
		data.put("correlationId", record.correlationId());
		data.put("traceId", record.traceId());
		String principal = (record.actor() != null) ? record.actor() : ANONYMOUS;
		this.publisher.publishEvent(
				new AuditApplicationEvent(record.timestamp(), principal, "STATE_" + record.action().name(), data));
	}

}
