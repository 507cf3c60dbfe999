#!/usr/bin/env bash
# The cardinality guard with 10,000 distinct values of one tag: GET /actuator/prometheus of
# bench/hello-app with the Clambake starter (-Pclambake), where one counter (bench.cardinality)
# was incremented with N distinct values of a `user` tag (--bench.distinct-values=N), with the
# guard on (Clambake's default, 1,000 series per meter) and off
# (--clambake.metrics.cardinality.enabled=false). Both apps run at once; ScrapeBench times the
# scrapes (one at a time, variants and formats alternated, round 0 discarded); then one scrape
# of each is counted: bench_cardinality series, overflow counter, total series and bytes.
#
# Usage: bench/cardinality.sh [ROUNDS] [REQUESTS_PER_ROUND]     env: VALUES (10000), JAVA_OPTS, SKIP_BUILD=1, OUT (append target)
# Prints every round and a table; appends them to $OUT, by default
# bench/history/RESULTS-<yyyy-mm>.md (then update bench/RESULTS.md by hand: bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

ROUNDS=${1:-5}
REQUESTS=${2:-20}
VALUES=${VALUES:-10000}
OUT=${OUT:-bench/history/RESULTS-$(date -u +%Y-%m).md}
COMMAND="bench/cardinality.sh $*"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
JAR="$BENCH_OUT/hello-clambake-cardinality.jar"

mkdir -p "$BENCH_OUT"
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; then
	echo "== building" >&2
	./mvnw -q -B -pl starter -am install -DskipTests
	./mvnw -q -B -f bench/hello-app/pom.xml clean package -DskipTests -Pclambake
	cp bench/hello-app/target/clambake-bench-hello-app-0.1.0-SNAPSHOT.jar "$JAR"
fi

pids=()
work=$(mktemp -d)
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

declare -A port=([guarded]=18291 [unguarded]=18292)
declare -A extra=([guarded]="" [unguarded]="--clambake.metrics.cardinality.enabled=false")
read -r -a jvm <<<"${JAVA_OPTS:-}"
for variant in guarded unguarded; do
	# shellcheck disable=SC2086
	java "${jvm[@]}" -jar "$JAR" --server.port="${port[$variant]}" --bench.distinct-values="$VALUES" ${extra[$variant]} \
		>"$BENCH_OUT/cardinality-$variant.log" 2>&1 &
	pids+=($!)
done
for variant in guarded unguarded; do
	await_url "http://127.0.0.1:${port[$variant]}/actuator/prometheus" && continue
	echo "$variant did not start; see $BENCH_OUT/cardinality-$variant.log" >&2; exit 1
done

java bench/ScrapeBench.java "$ROUNDS" "$REQUESTS" guarded="${port[guarded]}" unguarded="${port[unguarded]}" \
	| tee "$work/out.txt"

for variant in guarded unguarded; do
	curl -sf "http://127.0.0.1:${port[$variant]}/actuator/prometheus" >"$work/$variant.txt"
	overflow=$(grep '^clambake_metrics_cardinality_overflow_total{' "$work/$variant.txt" | awk '{print $NF}' | head -1 || true)
	echo "COUNT $variant $(grep -c '^bench_cardinality_total{' "$work/$variant.txt" || true)" \
		"$(grep -c 'user="OVERFLOW"' "$work/$variant.txt" || true) ${overflow:--}" \
		"$(grep -c '^[a-z]' "$work/$variant.txt") $(wc -c <"$work/$variant.txt")" \
		"$(grep -c "CardinalityGuard .*Meter 'bench.cardinality' reached its cap" "$BENCH_OUT/cardinality-$variant.log" || true)" \
		"$(grep -c 'metric-cardinality-overflow' "$BENCH_OUT/cardinality-$variant.log" || true)" \
		| tee -a "$work/out.txt"
done

table() {
	echo "| variant | format | median ms | p99 ms | bytes | series | median / unguarded | bytes / unguarded |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|"
	awk '/^RESULT/ { key = $2 " " $3; med[key] = $4; p99[key] = $5; size[key] = $6; n[key] = $7; order[++k] = key }
		END { for (i = 1; i <= k; i++) { split(order[i], a, " "); s = "unguarded " a[2]
			printf "| %s | %s | %.2f | %.2f | %d | %d | %.2fx | %.2fx |\n", a[1], a[2], med[order[i]], p99[order[i]],
				size[order[i]], n[order[i]], med[order[i]] / med[s], size[order[i]] / size[s] } }' "$work/out.txt"
	echo
	echo "| variant | bench_cardinality series | of them OVERFLOW | overflow counter | all series | bytes (text) | guard WARN lines | report finding lines |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	awk '/^COUNT/ { printf "| %s | %d | %d | %s | %d | %d | %d | %d |\n", $2, $3, $4, $5, $6, $7, $8, $9 }' "$work/out.txt"
}
echo "== $ROUNDS rounds of $REQUESTS scrapes per variant and format, $VALUES distinct values"
table | tee "$work/table.md"

mkdir -p "$(dirname "$OUT")"
{
	echo
	echo "## Cardinality guard: \`/actuator/prometheus\` with $VALUES distinct values of one tag ($(date -u +%Y-%m-%dT%H:%MZ))"
	echo
	machine_lines | sed "s|^- load average before the run: .*|- load average before the run: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)|"
	echo "- command: \`$(env | grep -E '^(VALUES|JAVA_OPTS|SKIP_BUILD)=' | sed 's/=\(.*\)/="\1"/' | tr '\n' ' ')$COMMAND\`"
	echo "- bench/hello-app with the Clambake starter (-Pclambake), \`--bench.distinct-values=$VALUES\` (one counter, \`bench.cardinality\`, incremented once per distinct \`user\` value), guard on (default cap 1,000) and off (\`clambake.metrics.cardinality.enabled=false\`); one scrape at a time over HTTP/1.1 with Java's HttpClient, time to the whole body; $ROUNDS rounds of $REQUESTS scrapes per variant and format after one discarded warm-up round"
	echo
	echo '```'
	grep '^round' "$work/out.txt"
	echo '```'
	echo
	cat "$work/table.md"
} >>"$OUT"
