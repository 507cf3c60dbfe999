package dev.clambake.health;

import java.util.List;
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
 * Adds the contributors declared by {@link ClambakeReadinessMember} beans to the
 * {@code readiness} group. Done here rather than in
 * {@code management.endpoint.health.group.readiness.include} because Boot fails start-up
 * when an included contributor does not exist, and a capability's contributor exists only
 * while the capability is on.
 */
final class ReadinessMembersGroupsPostProcessor implements HealthEndpointGroupsPostProcessor {

	static final String READINESS = "readiness";

	private final Set<String> members;

	private final Set<String> excluded;

	ReadinessMembersGroupsPostProcessor(Set<String> members, Set<String> excluded) {
		this.members = Set.copyOf(members);
		this.excluded = Set.copyOf(excluded);
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		if (this.members.isEmpty() || groups.get(READINESS) == null) {
			return groups;
		}
		return new Groups(groups);
	}

	private boolean isMember(String name) {
		return this.members.contains(name) && !this.excluded.contains(name);
	}

	/**
	 * The groups with a widened readiness group; still an {@link AdditionalPathsMapper} so
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
			return (group != null && READINESS.equals(name)) ? new Readiness(group) : group;
		}

		@Override
		public @Nullable List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace namespace) {
			return (this.delegate instanceof AdditionalPathsMapper mapper)
					? mapper.getAdditionalPaths(endpointId, namespace) : null;
		}

	}

	private final class Readiness implements HealthEndpointGroup {

		private final HealthEndpointGroup delegate;

		Readiness(HealthEndpointGroup delegate) {
			this.delegate = delegate;
		}

		@Override
		public boolean isMember(String name) {
			return this.delegate.isMember(name) || ReadinessMembersGroupsPostProcessor.this.isMember(name);
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
