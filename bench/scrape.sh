#!/usr/bin/env bash
# GET /actuator/prometheus with 10,000 extra series: Clambake's defaults against Spring Boot's
# stock observability (actuator + Prometheus + OpenTelemetry starter), in the same application.
#
# Both variants are bench/hello-app (GET /api/hello and nothing else) built with a different
# profile: -Pclambake adds the Clambake starter, -Pstock Boot's stock observability. Run with
# --bench.series=N, the app's BenchSeries registers N gauges (100 names x N/100 tag values):
# the same series in both, registered by bench-only code that is not part of Clambake or the
# sample app. Both apps run at once; one scrape at a time, variants and formats (Prometheus text
# 0.0.4 and OpenMetrics 1.0.0) alternated round by round, round 0 discarded as warm-up.
#
# Usage: bench/scrape.sh [ROUNDS] [REQUESTS_PER_ROUND]     env: SERIES (10000), JAVA_OPTS, SKIP_BUILD=1
# Prints every round, then median and p99 latency, response size and ratios; appends them to
# bench/history/RESULTS-<yyyy-mm>.md (then update bench/RESULTS.md by hand: bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

ROUNDS=${1:-5}
REQUESTS=${2:-40}
SERIES=${SERIES:-10000}
COMMAND="bench/scrape.sh $*"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
build_jars

pids=()
work=$(mktemp -d)
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

declare -A port
read -r -a jvm <<<"$JAVA_OPTS"
for variant in clambake boot-stock; do
	case $variant in clambake) jar=hello-clambake.jar; port[$variant]=18191 ;; boot-stock) jar=boot-stock.jar; port[$variant]=18192 ;; esac
	java "${jvm[@]}" -jar "$BENCH_OUT/$jar" --server.port="${port[$variant]}" --bench.series="$SERIES" \
		>"$BENCH_OUT/scrape-$variant.log" 2>&1 &
	pids+=($!)
done
for variant in clambake boot-stock; do
	await_url "http://127.0.0.1:${port[$variant]}/actuator/prometheus" && continue
	echo "$variant did not start; see $BENCH_OUT/scrape-$variant.log" >&2; exit 1
done

java bench/ScrapeBench.java "$ROUNDS" "$REQUESTS" clambake="${port[clambake]}" boot-stock="${port[boot-stock]}" \
	| tee "$work/out.txt"

table() {
	echo "| variant | format | median ms | p99 ms | bytes | series | median / stock | bytes / stock |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|"
	awk '/^RESULT/ { key = $2 " " $3; med[key] = $4; p99[key] = $5; size[key] = $6; n[key] = $7; order[++k] = key }
		END { for (i = 1; i <= k; i++) { split(order[i], a, " "); s = "boot-stock " a[2]
			printf "| %s | %s | %.2f | %.2f | %d | %d | %.2fx | %.2fx |\n", a[1], a[2], med[order[i]], p99[order[i]],
				size[order[i]], n[order[i]], med[order[i]] / med[s], size[order[i]] / size[s] } }' "$work/out.txt"
}
echo "== $ROUNDS rounds of $REQUESTS scrapes per variant and format"
table | tee "$work/table.md"

{
	echo
	echo "## \`/actuator/prometheus\` scrape with $SERIES extra series ($(date -u +%Y-%m-%dT%H:%MZ))"
	echo
	machine_lines | sed "s|^- load average before the run: .*|- load average before the run: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)|"
	echo "- command: \`$(env | grep -E '^(SERIES|JAVA_OPTS|SKIP_BUILD)=' | sed 's/=\(.*\)/="\1"/' | tr '\n' ' ')$COMMAND\`"
	echo "- bench/hello-app with the Clambake starter (-Pclambake) and with Boot's stock observability (-Pstock), both with \`--bench.series=$SERIES\` (bench-only gauges); one scrape at a time over HTTP/1.1 with Java's HttpClient, time to the whole body; $ROUNDS rounds of $REQUESTS scrapes per variant and format after one discarded warm-up round"
	echo
	echo '```'
	grep '^round' "$work/out.txt"
	echo '```'
	echo
	cat "$work/table.md"
} >>"bench/history/RESULTS-$(date -u +%Y-%m).md"
