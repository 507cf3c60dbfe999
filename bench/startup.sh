#!/usr/bin/env bash
# Start-up time and resident memory after start-up, one process at a time, variants alternated
# round by round. The first four run the same application code (bench/hello-app, GET /api/hello),
# so they differ only in what is on the class path:
#   bare               spring-boot-starter-webmvc and nothing else
#   hello-clambake     + the Clambake starter with its defaults (state store off)
#   hello-clambake-state  + the starter and the state store's libraries, --clambake.state.enabled=true
#                      (SQLite under ./data, Flyway)
#   boot-stock         + Boot's stock observability (actuator, Prometheus, OpenTelemetry starter)
#   bare-otel          bare + the OpenTelemetry Java agent, exporters off
# and the sample app, which has more application code of its own (YAML configuration, an outbound
# HTTP client whose JDK HttpClient loads the TLS stack and trust store when it is built, @Observed
# and @Scheduled beans):
#   clambake-nostate   the sample app with --clambake.state.enabled=false
#   clambake-state     the sample app as shipped (state store on)
# and, when named in VARIANTS:
#   clambake-noaop     clambake-nostate with --spring.aop.auto=false (diagnosis: what AspectJ proxying costs;
#                      @Observed, @Timed and Resilience4j's annotations do not work then)
# Start-up time: the JVM's own uptime when the application has started, from Spring Boot's
# "Started ... (process running for X)" line. Resident memory: VmRSS from /proc/<pid>/status
# after one GET /api/hello and SETTLE seconds. Each start runs in a fresh temporary working
# directory (the sample app writes ./data). One discarded warm-up round first (page cache).
#
# Usage: bench/startup.sh [ROUNDS]      env: VARIANTS, SETTLE (s, default 2), JAVA_OPTS, SKIP_BUILD=1
# Prints every start, then medians and ratios against 'bare'; appends them to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

ROUNDS=${1:-7}
SETTLE=${SETTLE:-2}
VARIANTS=${VARIANTS:-"bare hello-clambake hello-clambake-state boot-stock bare-otel clambake-nostate clambake-state"}
COMMAND="bench/startup.sh $*"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
build_jars
if [[ " $VARIANTS " == *" bare-otel "* ]]; then fetch_agent; fi
root=$(pwd)

pid=""
work=$(mktemp -d)
cleanup() { if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

# variant -> "uptime_seconds rss_kib"
run_once() {
	local variant=$1 jar args=() jvm=() dir log port uptime rss
	read -r -a jvm <<<"$JAVA_OPTS"
	case $variant in
		bare) jar=bare.jar ;;
		clambake-nostate) jar=sample.jar; args+=(--clambake.state.enabled=false) ;;
		clambake-state) jar=sample.jar ;;
		bare-otel) jar=bare.jar; jvm+=("${AGENT_ARGS[@]}") ;;
		boot-stock) jar=boot-stock.jar ;;
		hello-clambake) jar=hello-clambake.jar ;;
		hello-clambake-state) jar=hello-clambake-state.jar; args+=(--clambake.state.enabled=true) ;;
		clambake-noaop) jar=sample.jar; args+=(--clambake.state.enabled=false --spring.aop.auto=false) ;;
		*) echo "unknown variant $variant" >&2; exit 1 ;;
	esac
	dir=$(mktemp -d -p "$work")
	log=$dir/app.log
	: >"$log"
	(cd "$dir" && exec java "${jvm[@]}" -jar "$root/$BENCH_OUT/$jar" --server.port=0 "${args[@]}") >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 1200); do
		grep -q 'process running for' "$log" && break
		if ! kill -0 "$pid" 2>/dev/null; then echo "$variant exited; see $log" >&2; cat "$log" >&2; exit 1; fi
		sleep 0.05
	done
	uptime=$(grep -o 'process running for [0-9.]*' "$log" | grep -o '[0-9.]*$')
	port=$(grep -o 'Tomcat started on port [0-9]*' "$log" | grep -o '[0-9]*$')
	curl -sf "http://127.0.0.1:$port/api/hello" >/dev/null
	sleep "$SETTLE"
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=""
	rm -rf "$dir"
	echo "$uptime $rss"
}

for variant in $VARIANTS; do echo "warm-up  $variant  $(run_once "$variant")"; done
results=$BENCH_OUT/startup.txt
: >"$results"
for round in $(seq "$ROUNDS"); do
	for variant in $VARIANTS; do
		read -r uptime rss <<<"$(run_once "$variant")"
		echo "round $round  $variant  started at JVM uptime ${uptime}s  RSS $((rss / 1024)) MiB"
		echo "$variant $uptime $rss" >>"$results"
	done
done

table() {
	local bare_up bare_rss up rss
	bare_up=$(awk '$1 == "bare" { print $2 }' "$results" | median)
	bare_rss=$(awk '$1 == "bare" { print $3 }' "$results" | median)
	echo "| variant | start-up s (median) | / bare | RSS MiB (median) | / bare |"
	echo "|---|---:|---:|---:|---:|"
	for variant in $VARIANTS; do
		up=$(awk -v v="$variant" '$1 == v { print $2 }' "$results" | median)
		rss=$(awk -v v="$variant" '$1 == v { print $3 }' "$results" | median)
		awk -v v="$variant" -v up="$up" -v rss="$rss" -v bu="$bare_up" -v br="$bare_rss" 'BEGIN {
			printf "| %s | %.2f | %.2fx | %.0f | %.2fx |\n", v, up, up / bu, rss / 1024, rss / br }'
	done
}
echo "== medians over $ROUNDS rounds"
table | tee "$BENCH_OUT/startup-table.md"

{
	echo
	echo "## Start-up time and resident memory ($(date -u +%Y-%m-%dT%H:%MZ))"
	echo
	machine_lines | sed "s|^- load average before the run: .*|- load average before the run: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)|"
	echo "- command: \`$(env | grep -E '^(VARIANTS|SETTLE|JAVA_OPTS|SKIP_BUILD)=' | sed 's/=\(.*\)/="\1"/' | tr '\n' ' ')$COMMAND\`"
	echo "- start-up: JVM uptime in Spring Boot's \"Started ... (process running for X)\" line; RSS: VmRSS after one GET /api/hello and ${SETTLE}s"
	echo "- one process at a time, each in a fresh working directory; one warm-up start per variant discarded, then $ROUNDS rounds with the variants alternated"
	echo
	echo '```'
	awk '{ printf "%s %ss %d MiB\n", $1, $2, $3 / 1024 }' "$results"
	echo '```'
	echo
	cat "$BENCH_OUT/startup-table.md"
} >>bench/RESULTS.md
