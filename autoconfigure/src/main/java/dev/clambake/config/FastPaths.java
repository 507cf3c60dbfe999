package dev.clambake.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The fast paths Clambake takes where a measured gain needs a non-public detail of another
 * project (a class, bean or method name, a package-private method), and what became of each.
 * Every fast path has its own switch property and a test that names its detail; at run time
 * one that finds its detail absent or changed takes Spring's public path, logs one WARN and
 * shows as a finding in {@code /actuator/clambake}. The start-up summary lists the active ones.
 */
public class FastPaths {

	private static final Log logger = LogFactory.getLog(FastPaths.class);

	private final Map<String, FastPath> paths = new ConcurrentHashMap<>();

	/**
	 * Return the context's fast paths, or a record of its own for a context without Clambake's
	 * configuration capability (a fallback still logs its WARN).
	 * @param fastPaths the context's fast paths
	 * @return the fast paths to report to
	 */
	public static FastPaths from(ObjectProvider<FastPaths> fastPaths) {
		return fastPaths.getIfAvailable(FastPaths::new);
	}

	/**
	 * Record that a fast path runs.
	 * @param name the fast path's name
	 * @param property the property that switches it off
	 * @param detail what it relies on
	 */
	public void active(String name, String property, String detail) {
		record(new FastPath(name, property, FastPath.State.ACTIVE, detail));
	}

	/**
	 * Record that a fast path stepped aside because the application's set-up does not fit it.
	 * @param name the fast path's name
	 * @param property the property that switches it off
	 * @param reason why, in a sentence
	 */
	public void steppedAside(String name, String property, String reason) {
		record(new FastPath(name, property, FastPath.State.STEPPED_ASIDE, reason));
	}

	/**
	 * Record that a fast path fell back to Spring's public path because the detail it relies
	 * on is absent or has changed, and say so once in a WARN.
	 * @param name the fast path's name
	 * @param property the property that switches it off
	 * @param reason what is absent or different, in a sentence
	 */
	public void fellBack(String name, String property, String reason) {
		FastPath previous = this.paths.put(name, new FastPath(name, property, FastPath.State.FELL_BACK, reason));
		if (previous == null || previous.state() != FastPath.State.FELL_BACK) {
			logger.warn("Clambake's fast path '" + name + "' fell back to the public path: " + reason
					+ " The application behaves the same, only without this fast path's gain. Set " + property
					+ "=false to take the public path without this warning.");
		}
	}

	/**
	 * Take over what another record holds, without logging again: for a fast path that runs
	 * before this record can be created.
	 * @param other the other record
	 */
	public void include(FastPaths other) {
		other.paths.values().forEach(this::record);
	}

	// A fallback stays recorded: a later 'active' from another bean must not hide it
	private void record(FastPath path) {
		this.paths.merge(path.name(), path,
				(previous, next) -> (previous.state() == FastPath.State.FELL_BACK) ? previous : next);
	}

	/**
	 * Return the state of one fast path.
	 * @param name the fast path's name
	 * @return its state, or {@code null} when it has not run (switched off or not applicable)
	 */
	public FastPath.@Nullable State state(String name) {
		FastPath path = this.paths.get(name);
		return (path != null) ? path.state() : null;
	}

	/**
	 * Return every fast path that has run, by name.
	 * @return the fast paths
	 */
	public List<FastPath> list() {
		List<FastPath> list = new ArrayList<>(this.paths.values());
		list.sort((a, b) -> a.name().compareTo(b.name()));
		return list;
	}

	/**
	 * Return the names of the active fast paths, by name.
	 * @return the active fast paths' names
	 */
	public List<String> activeNames() {
		return list().stream().filter((path) -> path.state() == FastPath.State.ACTIVE).map(FastPath::name).toList();
	}

}
