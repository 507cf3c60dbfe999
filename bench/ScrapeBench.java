import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times GET /actuator/prometheus on running applications, one request at a time, in the two
 * formats Prometheus asks for; variants and formats alternate round by round.
 *
 * <pre>java bench/ScrapeBench.java ROUNDS REQUESTS_PER_ROUND name=port [name=port ...]</pre>
 *
 * Prints one "RESULT variant format median_ms p99_ms bytes series" line per variant and format.
 */
public class ScrapeBench {

	static final Map<String, String> FORMATS = new LinkedHashMap<>();
	static {
		FORMATS.put("text", "text/plain;version=0.0.4;q=1,*/*;q=0.1");
		FORMATS.put("openmetrics", "application/openmetrics-text;version=1.0.0;q=1,text/plain;version=0.0.4;q=0.5");
	}

	public static void main(String[] args) throws Exception {
		int rounds = Integer.parseInt(args[0]);
		int requests = Integer.parseInt(args[1]);
		Map<String, Integer> ports = new LinkedHashMap<>();
		for (int i = 2; i < args.length; i++) {
			String[] pair = args[i].split("=");
			ports.put(pair[0], Integer.parseInt(pair[1]));
		}
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5)).build();
		Map<String, List<Double>> times = new LinkedHashMap<>();
		Map<String, Integer> bytes = new LinkedHashMap<>();
		Map<String, Long> series = new LinkedHashMap<>();
		for (int round = 0; round <= rounds; round++) { // round 0 warms up
			for (var variant : ports.entrySet()) {
				for (var format : FORMATS.entrySet()) {
					String key = variant.getKey() + " " + format.getKey();
					HttpRequest request = HttpRequest.newBuilder(
							URI.create("http://127.0.0.1:" + variant.getValue() + "/actuator/prometheus"))
						.header("Accept", format.getValue()).timeout(Duration.ofSeconds(30)).build();
					for (int i = 0; i < requests; i++) {
						long start = System.nanoTime();
						HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
						double ms = (System.nanoTime() - start) / 1e6;
						if (response.statusCode() != 200) {
							throw new IllegalStateException(key + " answered " + response.statusCode());
						}
						if (round > 0) {
							times.computeIfAbsent(key, (k) -> new ArrayList<>()).add(ms);
						}
						bytes.put(key, response.body().length);
						series.put(key, new String(response.body()).lines()
							.filter((line) -> !line.isEmpty() && !line.startsWith("#")).count());
					}
					if (round > 0) {
						List<Double> last = times.get(key).subList(times.get(key).size() - requests, times.get(key).size());
						System.out.printf(Locale.ROOT, "round %d  %s  median %.2f ms%n", round, key, percentile(last, 50));
					}
				}
			}
		}
		for (var entry : times.entrySet()) {
			System.out.printf(Locale.ROOT, "RESULT %s %.2f %.2f %d %d%n", entry.getKey(), percentile(entry.getValue(), 50),
					percentile(entry.getValue(), 99), bytes.get(entry.getKey()), series.get(entry.getKey()));
		}
	}

	static double percentile(List<Double> values, double p) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
	}

}
