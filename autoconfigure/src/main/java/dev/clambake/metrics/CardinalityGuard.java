package dev.clambake.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;

/**
 * Caps the number of distinct series of each meter name (its tag sets), so one tag with
 * unbounded values (a user id, a raw path) cannot blow up the scrape. Up to the cap a meter
 * gets its series as usual; past it, a new tag set is routed to an <em>overflow</em> series:
 * the tag with a new value that has the most distinct values (and any tag whose value was never
 * seen before) reads
 * {@value #OVERFLOW}, while tags with values seen before (application, environment, outcome)
 * keep theirs. So a meter has at most about twice its cap of series, whatever is recorded.
 * <p>
 * Each id routed to the overflow counts in {@value #OVERFLOW_COUNTER}{@code {meter,tag}}; the
 * first overflow of a meter logs one WARN naming the meter and the tag; {@link #overflowed()}
 * lists the meters that overflowed for the production-readiness report.
 * <p>
 * Micrometer's {@code MeterFilter.maximumAllowableTags} caps one named tag of a name prefix
 * and can only deny (or map with a fixed filter) beyond it; this guard needs no tag name in
 * advance, keeps the values it has seen and names the culprit.
 */
public class CardinalityGuard implements MeterFilter, Ordered {

	/**
	 * The value an overflowing tag reads.
	 */
	public static final String OVERFLOW = "OVERFLOW";

	/**
	 * The counter of ids routed to the overflow, tagged {@code meter} and {@code tag}.
	 */
	public static final String OVERFLOW_COUNTER = "clambake.metrics.cardinality.overflow";

	/**
	 * Runs after Spring Boot's and Clambake's filters, which add common tags and rename meters:
	 * the guard sees the ids as they are published.
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private static final Logger logger = LoggerFactory.getLogger(CardinalityGuard.class);

	private final int defaultMaxSeries;

	private final Map<String, Integer> maxSeriesByMeter;

	private final ObjectProvider<MeterRegistry> registry;

	private final Map<String, MeterSeries> meters = new ConcurrentHashMap<>();

	/**
	 * Create a guard.
	 * @param defaultMaxSeries the distinct series each meter name may have
	 * @param maxSeriesByMeter caps of particular meter names, overriding the default
	 * @param registry where the overflow counter is registered
	 */
	public CardinalityGuard(int defaultMaxSeries, Map<String, Integer> maxSeriesByMeter,
			ObjectProvider<MeterRegistry> registry) {
		this.defaultMaxSeries = defaultMaxSeries;
		this.maxSeriesByMeter = Map.copyOf(maxSeriesByMeter);
		this.registry = registry;
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		String name = id.getName();
		if (name.equals(OVERFLOW_COUNTER)) {
			return id;
		}
		MeterSeries series = this.meters.computeIfAbsent(name,
				(key) -> new MeterSeries(key, this.maxSeriesByMeter.getOrDefault(key, this.defaultMaxSeries)));
		Overflow overflow = series.admit(id.getTags());
		if (overflow == null) {
			return id;
		}
		if (overflow.first()) {
			logger.warn("Meter '{}' reached its cap of {} series; further values of tag '{}' are recorded as '{}'"
					+ " (raise clambake.metrics.cardinality.max-series-by-meter.{} or drop the unbounded tag)", name,
					series.maxSeries, overflow.tag(), OVERFLOW, name);
			registerCounter(series, overflow.tag());
		}
		series.overflowed.incrementAndGet();
		return id.replaceTags(overflow.tags());
	}

	private void registerCounter(MeterSeries series, String tag) {
		MeterRegistry meterRegistry = this.registry.getIfAvailable();
		if (meterRegistry != null) {
			FunctionCounter.builder(OVERFLOW_COUNTER, series.overflowed, AtomicLong::get)
				.description("Meter ids routed to a meter's overflow series once it reached its cap of series")
				.tags("meter", series.name, "tag", tag)
				.register(meterRegistry);
		}
	}

	/**
	 * Return the meters that reached their cap, with the tag named in their WARN.
	 * @return the overflowed meters, by name
	 */
	public List<Overflowed> overflowed() {
		List<Overflowed> list = new ArrayList<>();
		this.meters.values().forEach((series) -> {
			String tag = series.culprit;
			if (tag != null) {
				list.add(new Overflowed(series.name, tag, series.maxSeries, series.overflowed.get()));
			}
		});
		list.sort(Comparator.comparing(Overflowed::meter));
		return list;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * A meter that reached its cap of series.
	 *
	 * @param meter the meter's name
	 * @param tag the tag with the most distinct values, the one that reads {@value #OVERFLOW}
	 * @param maxSeries the meter's cap
	 * @param overflowedIds how many ids were routed to the overflow
	 */
	public record Overflowed(String meter, String tag, int maxSeries, long overflowedIds) {

	}

	private record Overflow(List<Tag> tags, String tag, boolean first) {

	}

	/**
	 * What the guard knows of one meter name: its series and each tag's values.
	 */
	private static final class MeterSeries {

		private final String name;

		private final int maxSeries;

		private final Set<List<Tag>> series = new HashSet<>();

		private final Map<String, Set<String>> values = new ConcurrentHashMap<>();

		private final AtomicLong overflowed = new AtomicLong();

		private volatile String culprit;

		MeterSeries(String name, int maxSeries) {
			this.name = name;
			this.maxSeries = maxSeries;
		}

		synchronized Overflow admit(List<Tag> tags) {
			if (this.series.contains(tags)) {
				return null;
			}
			if (this.series.size() < this.maxSeries) {
				this.series.add(tags);
				for (Tag tag : tags) {
					this.values.computeIfAbsent(tag.getKey(), (key) -> new HashSet<>()).add(tag.getValue());
				}
				return null;
			}
			boolean first = this.culprit == null;
			if (first) {
				this.culprit = widest(tags);
			}
			List<Tag> mapped = new ArrayList<>(tags.size());
			for (Tag tag : tags) {
				Set<String> seen = this.values.get(tag.getKey());
				boolean keep = !tag.getKey().equals(this.culprit) && seen != null && seen.contains(tag.getValue());
				mapped.add(keep ? tag : Tag.of(tag.getKey(), OVERFLOW));
			}
			return new Overflow(mapped, this.culprit, first);
		}

		// The tag whose value is new with the most distinct values so far; tags whose value was
		// seen before (application, environment) are not the culprit even when they tie
		private String widest(List<Tag> tags) {
			String widest = null;
			int most = -1;
			for (boolean onlyNew : new boolean[] { true, false }) {
				for (Tag tag : tags) {
					Set<String> seen = this.values.get(tag.getKey());
					if (onlyNew && seen != null && seen.contains(tag.getValue())) {
						continue;
					}
					int count = (seen != null) ? seen.size() : 0;
					if (count > most) {
						most = count;
						widest = tag.getKey();
					}
				}
				if (widest != null) {
					return widest;
				}
			}
			return "-";
		}

	}

}
