package dev.clambake.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown at start-up when the application switches a capability on explicitly
 * ({@code clambake.<capability>.enabled=true}) but a library it needs is not on the class
 * path; its failure analysis names the Maven coordinates to add.
 */
public class CapabilityLibrariesMissingException extends ClambakeStartupException {

	private final List<String> artifacts;

	CapabilityLibrariesMissingException(List<String> capabilities, List<String> missing) {
		super(description(capabilities, missing), action(capabilities));
		this.artifacts = List.copyOf(missing);
	}

	private static String description(List<String> capabilities, List<String> missing) {
		String nl = System.lineSeparator();
		String switches = capabilities.stream()
			.map((capability) -> "clambake." + capability + ".enabled=true")
			.collect(Collectors.joining(", "));
		return missing.stream()
			.map((library) -> "    " + library)
			.collect(Collectors.joining(nl, "Clambake was asked for " + String.join(", ", capabilities) + " (" + switches
					+ ") but libraries " + ((capabilities.size() == 1) ? "it needs" : "they need")
					+ " are not on the class path:" + nl + nl, ""));
	}

	private static String action(List<String> capabilities) {
		return "Add the missing libraries (Spring Boot manages their versions), or remove "
				+ capabilities.stream()
					.map((capability) -> "clambake." + capability + ".enabled")
					.collect(Collectors.joining(", "))
				+ " to run without " + ((capabilities.size() == 1) ? "it." : "them.");
	}

	/**
	 * Return the missing libraries, each as its class and Maven coordinates.
	 * @return the missing libraries
	 */
	public List<String> getArtifacts() {
		return this.artifacts;
	}

}
