#!/usr/bin/env bash
# The first seconds of traffic after readiness flips, with and without Clambake's warm-up gate.
#
# Each round starts the sample app cold in a fresh working directory, polls
# /actuator/health/readiness every 50 ms until it answers 200, then at once sends wrk traffic
# for SECONDS (GET /api/hello and GET /api/upstream alternated; the upstream call goes through
# the resilient client to the app's own /api/hello) and records its p99. Variants, alternated
# round by round:
#   no-gate  the sample app as shipped: ready as soon as it has started
#   gate     the same with the built-in loopback warm-up: the same two paths sent
#            ITERATIONS times each (clambake.health.warm-up.requests/.iterations) before
#            readiness flips
# Also reported: start-to-ready time (what the gate costs a rollout).
#
# Usage: bench/warm-up.sh [ROUNDS] [SECONDS]      (3 rounds of 5 s by default)
#   env: ITERATIONS (warm-up requests per path, 1000), CONNECTIONS (16), THREADS (1)
# Appends its section to bench/history/RESULTS-<year>-<month>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh

ROUNDS=${1:-3}
SECONDS_MEASURED=${2:-5}
ITERATIONS=${ITERATIONS:-1000}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
JAR=sample-app/target/clambake-sample-app-0.1.0-SNAPSHOT.jar
[ -f "$JAR" ] || ./mvnw -q -B -pl sample-app -am package -DskipTests
ensure_wrk

work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/paths.lua" <<'LUA'
local paths = { "/api/hello", "/api/upstream" }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % 2) + 1])
end
LUA

args_of() {
	case $1 in
		no-gate) echo "" ;;
		gate) echo "--clambake.health.warm-up.requests=/api/hello,/api/upstream --clambake.health.warm-up.iterations=$ITERATIONS" ;;
	esac
}

# One cold start of a variant -> "ready_ms p99_ms requests_per_second non_2xx"; the warm-up
# outcome line, if any, goes to $work/<variant>.outcomes
round() {
	local variant=$1 dir="$work/$1-$2"
	mkdir -p "$dir"
	local start_ns; start_ns=$(date +%s%N)
	# shellcheck disable=SC2046,SC2086
	(cd "$dir" && exec java $JAVA_OPTS -jar "$OLDPWD/$JAR" --server.port=0 $(args_of "$variant")) >"$dir/app.log" 2>&1 &
	pid=$!
	local port=
	for _ in $(seq 2400); do
		port=$(grep -o 'Tomcat started on port [0-9]*' "$dir/app.log" 2>/dev/null | grep -o '[0-9]*$' || true)
		[ -n "$port" ] && break
		kill -0 "$pid" 2>/dev/null || { echo "the application exited; see below" >&2; cat "$dir/app.log" >&2; exit 1; }
		sleep 0.05
	done
	until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/actuator/health/readiness")" = 200 ]; do
		kill -0 "$pid" 2>/dev/null || { cat "$dir/app.log" >&2; exit 1; }
		sleep 0.05
	done
	local ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" --latency -s "$work/paths.lua" "http://127.0.0.1:$port" >"$dir/wrk.txt"
	kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
	{ grep -o 'Warm-up [a-z ]* in [0-9]*ms' "$dir/app.log" || echo "no warm-up"; } | head -1 >>"$work/$variant.outcomes"
	awk -v ready="$ready_ms" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/Requests\/sec/ { rps = $2 }
		/^ +99%/ { p99 = ms($2) }
		/Non-2xx/ { bad = $NF }
		END { printf "%d %.2f %.0f %d\n", ready, p99, rps, bad + 0 }' "$dir/wrk.txt"
}

machine=$(machine_lines)
echo "== $ROUNDS rounds, variants alternated: no-gate gate"
for r in $(seq "$ROUNDS"); do
	for variant in no-gate gate; do
		result=$(round "$variant" "$r")
		echo "$variant round $r: ready_ms p99_ms req/s non-2xx = $result ($(tail -1 "$work/$variant.outcomes"))"
		echo "$result" >>"$work/$variant.txt"
	done
done

col() { awk -v c="$2" '{ print $c }' "$work/$1.txt" | median; }
no_ready=$(col no-gate 1); no_p99=$(col no-gate 2); no_rps=$(col no-gate 3)
g_ready=$(col gate 1); g_p99=$(col gate 2); g_rps=$(col gate 3)
ratio=$(awk -v a="$no_p99" -v b="$g_p99" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
rounds_of() { awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $2 }' "$work/$1.txt"; }

out="bench/history/RESULTS-$(date -u +%Y-%m).md"
mkdir -p bench/history
{
	echo
	echo "## warm-up: p99 of the first ${SECONDS_MEASURED}s after readiness flips, with and without the warm-up gate ($(date -u +%Y-%m-%dT%H:%MZ))"
	echo
	echo "$machine"
	echo "- command: \`ITERATIONS=$ITERATIONS CONNECTIONS=$CONNECTIONS THREADS=$THREADS bench/warm-up.sh $ROUNDS $SECONDS_MEASURED\`"
	echo "- each round a cold start of the sample app in a fresh directory; readiness polled every 50 ms; then wrk $THREADS thread(s) x $CONNECTIONS connections for ${SECONDS_MEASURED}s on GET /api/hello and GET /api/upstream alternated"
	echo "- gate: \`--clambake.health.warm-up.requests=/api/hello,/api/upstream --clambake.health.warm-up.iterations=$ITERATIONS\`"
	echo
	echo "| variant | start to ready, median ms | p99 ms, median | p99 ms per round | req/s, median |"
	echo "|---|---|---|---|---|"
	echo "| no gate | $no_ready | $no_p99 | $(rounds_of no-gate) | $no_rps |"
	echo "| warm-up gate | $g_ready | $g_p99 | $(rounds_of gate) | $g_rps |"
	echo
	echo "Warm-up per gate round: $(paste -sd ';' "$work/gate.outcomes" | sed 's/;/; /g')."
	echo
	echo "p99 without the gate / with it: ${ratio}x; the gate costs $(( g_ready - no_ready )) ms more before readiness flips."
} | tee -a "$out"
