import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where start-up goes, from Spring's start-up steps recorded as Flight Recorder events
 * ({@code FlightRecorderApplicationStartup}): per step and per bean, the median over each variant's
 * recordings.
 *
 * <pre>java bench/StartupSteps.java TOP variant=recording.jfr [variant=recording.jfr ...]</pre>
 *
 * Steps are inclusive (a step within a step counts in both) and summed when a step runs more than
 * once. A bean's self time leaves out the steps it starts in turn, mostly the beans it depends on,
 * so the self times of all beans add up to the time spent creating beans.
 */
public class StartupSteps {

	static final String EVENT = "org.springframework.core.metrics.jfr.FlightRecorderStartupEvent";

	static final String BEAN = "spring.beans.instantiate";

	static final String ALL_BEANS = "all beans";

	static final Pattern BEAN_NAME = Pattern.compile("beanName=([^,]*)");

	record Step(long id, long parent, String name, String tags, double seconds) {
	}

	/** The per-step and per-bean seconds of one recording. */
	record Recording(Map<String, Double> steps, Map<String, Double> beans) {
	}

	public static void main(String[] args) throws Exception {
		int top = Integer.parseInt(args[0]);
		Map<String, List<Recording>> variants = new LinkedHashMap<>();
		for (int i = 1; i < args.length; i++) {
			int separator = args[i].indexOf('=');
			variants.computeIfAbsent(args[i].substring(0, separator), (variant) -> new ArrayList<>())
				.add(read(Path.of(args[i].substring(separator + 1))));
		}
		Set<String> stepNames = new LinkedHashSet<>();
		Set<String> beanNames = new LinkedHashSet<>();
		variants.values().forEach((recordings) -> recordings.forEach((recording) -> {
			stepNames.addAll(recording.steps().keySet());
			beanNames.addAll(recording.beans().keySet());
		}));
		int rounds = variants.values().stream().mapToInt(List::size).min().orElse(0);
		System.out.printf("== start-up steps, median seconds over %d recordings per variant (inclusive)%n", rounds);
		printTable(variants, stepNames, Recording::steps, 0.01, Integer.MAX_VALUE, 1);
		System.out.printf("== creating beans: self time, median seconds%n");
		printTable(variants, Set.of(ALL_BEANS), (recording) -> Map.of(ALL_BEANS,
				recording.beans().values().stream().mapToDouble(Double::doubleValue).sum()), 0, Integer.MAX_VALUE, 1);
		System.out.printf("== the %d beans with the largest self time, median milliseconds%n", top);
		printTable(variants, beanNames, Recording::beans, 0, top, 1000);
	}

	static Recording read(Path file) throws Exception {
		// a step's events can appear twice when a recording was dumped more than once
		Map<Long, Step> steps = new LinkedHashMap<>();
		for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
			if (event.getEventType().getName().equals(EVENT)) {
				Step step = new Step(event.getLong("eventId"), event.getLong("parentId"), event.getString("name"),
						event.getString("tags"), event.getDuration().toNanos() / 1e9);
				steps.put(step.id(), step);
			}
		}
		Map<Long, Double> children = new HashMap<>();
		steps.values().forEach((step) -> children.merge(step.parent(), step.seconds(), Double::sum));
		Map<String, Double> byStep = new LinkedHashMap<>();
		Map<String, Double> byBean = new HashMap<>();
		for (Step step : steps.values()) {
			if (!step.name().equals(BEAN)) {
				byStep.merge(step.name(), step.seconds(), Double::sum);
				continue;
			}
			Matcher bean = BEAN_NAME.matcher((step.tags() != null) ? step.tags() : "");
			double self = step.seconds() - children.getOrDefault(step.id(), 0.0);
			byBean.merge(bean.find() ? bean.group(1) : "?", self, Double::sum);
		}
		return new Recording(byStep, byBean);
	}

	static void printTable(Map<String, List<Recording>> variants, Set<String> names,
			Function<Recording, Map<String, Double>> values, double threshold, int limit, int scale) {
		Map<String, double[]> medians = new LinkedHashMap<>();
		for (String name : names) {
			double[] row = variants.values().stream()
				.mapToDouble((recordings) -> median(recordings, (recording) -> values.apply(recording).getOrDefault(name, 0.0)))
				.toArray();
			if (max(row) >= threshold) {
				medians.put(name, row);
			}
		}
		List<String> rows = new ArrayList<>(medians.keySet());
		if (limit < Integer.MAX_VALUE) {
			rows.sort(Comparator.comparingDouble((String name) -> max(medians.get(name))).reversed());
			rows = rows.subList(0, Math.min(limit, rows.size()));
		}
		printHeader(variants);
		for (String name : rows) {
			StringBuilder line = new StringBuilder(String.format("%-72s", abbreviate(name)));
			for (double value : medians.get(name)) {
				line.append(String.format((scale == 1) ? " %15.2f" : " %15.0f", value * scale));
			}
			System.out.println(line);
		}
	}

	static void printHeader(Map<String, List<Recording>> variants) {
		StringBuilder header = new StringBuilder(String.format("%-72s", ""));
		variants.keySet().forEach((variant) -> header.append(String.format(" %15s", variant)));
		System.out.println(header);
	}

	static double median(List<Recording> recordings, ToDoubleFunction<Recording> value) {
		double[] values = recordings.stream().mapToDouble(value).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	static double max(double[] values) {
		double max = 0;
		for (double value : values) {
			max = Math.max(max, value);
		}
		return max;
	}

	// Bean names of configuration properties carry the class name: keep the end, which says most
	static String abbreviate(String name) {
		return (name.length() <= 72) ? name : "…" + name.substring(name.length() - 71);
	}

}
