package dev.clambake.health;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Adds contributors to probe groups: to {@code readiness} those declared by
 * {@link ClambakeReadinessMember} beans and the components configured as
 * {@link Criticality#CRITICAL}; to {@code liveness} the deadlock and stuck-request
 * detectors; to {@code startup} the warm-up gate. Done here rather than in
 * {@code management.endpoint.health.group.<group>.include} because Boot fails start-up when
 * an included contributor does not exist, and these exist only while their capability is on.
 * A name in the group's {@code exclude} property is never added.
 */
final class ProbeGroupMembersPostProcessor implements HealthEndpointGroupsPostProcessor {

	static final String READINESS = "readiness";

	static final String LIVENESS = "liveness";

	static final String STARTUP = "startup";

	private final Map<String, Set<String>> members;

	private final Map<String, Set<String>> excluded;

	ProbeGroupMembersPostProcessor(Map<String, Set<String>> members, Map<String, Set<String>> excluded) {
		this.members = Map.copyOf(members);
		this.excluded = Map.copyOf(excluded);
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		boolean widens = this.members.entrySet()
			.stream()
			.anyMatch((entry) -> !entry.getValue().isEmpty() && groups.get(entry.getKey()) != null);
		return widens ? new Groups(groups) : groups;
	}

	private boolean isMember(String group, String name) {
		return this.members.getOrDefault(group, Set.of()).contains(name)
				&& !this.excluded.getOrDefault(group, Set.of()).contains(name);
	}

	/**
	 * The groups with widened probe groups; still an {@link AdditionalPathsMapper} so
	 * additional probe paths such as {@code /readyz} keep working.
	 */
	private final class Groups implements HealthEndpointGroups, AdditionalPathsMapper {

		private final HealthEndpointGroups delegate;

		Groups(HealthEndpointGroups delegate) {
			this.delegate = delegate;
		}

		@Override
		public HealthEndpointGroup getPrimary() {
			return this.delegate.getPrimary();
		}

		@Override
		public Set<String> getNames() {
			return this.delegate.getNames();
		}

		@Override
		public @Nullable HealthEndpointGroup get(String name) {
			HealthEndpointGroup group = this.delegate.get(name);
			return (group != null && !ProbeGroupMembersPostProcessor.this.members.getOrDefault(name, Set.of()).isEmpty())
					? new Widened(name, group) : group;
		}

		@Override
		public @Nullable List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace namespace) {
			return (this.delegate instanceof AdditionalPathsMapper mapper)
					? mapper.getAdditionalPaths(endpointId, namespace) : null;
		}

	}

	private final class Widened implements HealthEndpointGroup {

		private final String group;

		private final HealthEndpointGroup delegate;

		Widened(String group, HealthEndpointGroup delegate) {
			this.group = group;
			this.delegate = delegate;
		}

		@Override
		public boolean isMember(String name) {
			return this.delegate.isMember(name) || ProbeGroupMembersPostProcessor.this.isMember(this.group, name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.delegate.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.delegate.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.delegate.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.delegate.getHttpCodeStatusMapper();
		}

		@Override
		public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
			return this.delegate.getAdditionalPath();
		}

	}

}
