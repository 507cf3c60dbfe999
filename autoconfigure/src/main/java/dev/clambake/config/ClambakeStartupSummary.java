package dev.clambake.config;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Logs, once the application is ready, one INFO line saying which Clambake version runs, in
 * which environment, with which capabilities, feature flags and fast paths.
 */
public class ClambakeStartupSummary implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(ClambakeStartupSummary.class);

	private final ClambakeEnvironment environment;

	private final Set<String> activeCapabilities;

	private final FeatureFlags featureFlags;

	private final List<StartupSummaryContributor> contributors;

	private final FastPaths fastPaths;

	public ClambakeStartupSummary(ClambakeEnvironment environment, List<ClambakeCapability> capabilities,
			FeatureFlags featureFlags, List<StartupSummaryContributor> contributors, FastPaths fastPaths) {
		this.environment = environment;
		this.activeCapabilities = capabilities.stream().map(ClambakeCapability::name).collect(Collectors.toSet());
		this.featureFlags = featureFlags;
		this.contributors = List.copyOf(contributors);
		this.fastPaths = fastPaths;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		logger.info(summary());
	}

	/**
	 * Return the summary line.
	 * @return the summary
	 */
	public String summary() {
		String capabilities = ClambakeCapability.NAMES.stream()
			.map((name) -> name + "=" + (this.activeCapabilities.contains(name) ? "on" : "off"))
			.collect(Collectors.joining(", "));
		String flags = this.featureFlags.list()
			.stream()
			.map((flag) -> flag.name() + "=" + (flag.enabled() ? "on" : "off") + " (" + flag.origin() + ")")
			.collect(Collectors.joining(", "));
		StringBuilder summary = new StringBuilder("Clambake ").append(ClambakeVersion.get())
			.append(" ready: environment=")
			.append(this.environment)
			.append("; capabilities: ")
			.append(capabilities)
			.append("; feature flags: ")
			.append(flags.isEmpty() ? "none" : flags);
		List<String> fastPaths = this.fastPaths.activeNames();
		summary.append("; fast paths: ").append(fastPaths.isEmpty() ? "none" : String.join(", ", fastPaths));
		this.contributors.forEach((contributor) -> summary.append("; ").append(contributor.summary()));
		return summary.toString();
	}

}
