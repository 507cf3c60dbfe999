#!/usr/bin/env bash
# Per-request cost of observability on GET /api/hello, measured with wrk on loopback.
#
# Variants (all started at once, each on its own port, measured round by round in turn while the
# others are stopped with SIGSTOP):
#   bare          plain spring-boot-starter-webmvc app with the same endpoint code
#   boot-stock    the same app + actuator + Prometheus + OpenTelemetry starter (Boot's defaults)
#   clambake      the sample app with Clambake's defaults (10% sampling)
#   clambake-100  the sample app at 100% sampling
#   bare-otel     the bare app + the OpenTelemetry Java agent, exporters off
# and, when named in VARIANTS:
#   clambake-ltt    Clambake's defaults with the per-observation long-task timers back on
#                   (http.server.requests.active; Clambake turns them off by default)
#   clambake-events  Clambake's defaults with Spring MVC's per-request ServletRequestHandledEvent back on
#   hello-clambake  the bare app + the Clambake starter (the same endpoint code as bare)
#   hello-noobs     hello-clambake with the http.server.requests observation off (what everything
#                   else the starter adds costs per request)
#   hello-notrace   hello-clambake with tracing off (the request observation's metrics alone)
#   hello-observation  hello-clambake with http.server.requests recorded through Spring's
#                   Observation path (clambake.observability.direct-server-requests=false, the default)
#   hello-direct    hello-clambake with http.server.requests recorded on Clambake's direct path
#                   (clambake.observability.direct-server-requests=true)
#
# Usage: bench/overhead.sh [ROUNDS] [SECONDS_PER_ROUND]
#   env: WARMUP (seconds per variant, >= 30), CONNECTIONS, THREADS, VARIANTS (subset, space separated),
#        JFR="variant ..." (record a JFR profile of these variants over the measured rounds),
#        EXTRA_<variant>="--some.property=value" (more arguments for one variant, e.g. EXTRA_clambake),
#        THINK_MS (each connection waits this many milliseconds before each request: latency at a
#        moderate load instead of at saturation; every variant then serves about the same req/s,
#        so p99 is the number to compare)
# Prints one line per variant and round, then medians and ratios against 'bare'. Besides req/s and
# p99 it reports the server's own CPU time per request (user + system from /proc/<pid>/stat over the
# round): on a shared 2-CPU machine, where wrk takes a core, that ratio is steadier than req/s.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-3}
DURATION=${2:-20}
WARMUP=${WARMUP:-30}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
VARIANTS=${VARIANTS:-"bare boot-stock clambake clambake-100 bare-otel"}
source bench/common.sh
OUT=$BENCH_OUT
COMMAND="bench/overhead.sh $*"

ensure_wrk
THINK_MS=${THINK_MS:-}
WRK_SCRIPT=()
if [ -n "$THINK_MS" ]; then
	mkdir -p "$BENCH_OUT"
	printf 'function delay()\n  return %d\nend\n' "$THINK_MS" >"$BENCH_OUT/think.lua"
	WRK_SCRIPT=(-s "$BENCH_OUT/think.lua")
fi
if [ "$WARMUP" -lt 30 ]; then echo "WARMUP must be at least 30 seconds" >&2; exit 1; fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
build_jars
if [[ " $VARIANTS " == *" bare-otel "* ]]; then fetch_agent; fi

pids=()
declare -A pid_of
cleanup() { for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

port_of() {
	case $1 in
		bare) echo 18181 ;; boot-stock) echo 18182 ;; clambake) echo 18183 ;; clambake-100) echo 18184 ;;
		bare-otel) echo 18185 ;; clambake-ltt) echo 18186 ;; hello-clambake) echo 18187 ;; clambake-events) echo 18188 ;;
		hello-noobs) echo 18189 ;; hello-notrace) echo 18190 ;; hello-observation) echo 18191 ;; hello-direct) echo 18192 ;;
	esac
}

start() {
	local variant=$1 port jar args=() jvm=()
	port=$(port_of "$variant")
	read -r -a jvm <<<"$JAVA_OPTS"
	case $variant in
		bare) jar=$OUT/bare.jar ;;
		boot-stock) jar=$OUT/boot-stock.jar ;;
		clambake) jar=$OUT/sample.jar ;;
		clambake-100) jar=$OUT/sample.jar; args+=(--management.tracing.sampling.probability=1.0) ;;
		clambake-ltt) jar=$OUT/sample.jar; args+=(--management.metrics.observations.ignored-meters=) ;;
		clambake-events) jar=$OUT/sample.jar; args+=(--spring.mvc.publish-request-handled-events=true) ;;
		hello-clambake) jar=$OUT/hello-clambake.jar ;;
		hello-noobs) jar=$OUT/hello-clambake.jar; args+=(--management.observations.enable.http.server.requests=false) ;;
		hello-notrace) jar=$OUT/hello-clambake.jar; args+=(--management.tracing.enabled=false) ;;
		hello-observation) jar=$OUT/hello-clambake.jar; args+=(--clambake.observability.direct-server-requests=false) ;;
		hello-direct) jar=$OUT/hello-clambake.jar; args+=(--clambake.observability.direct-server-requests=true) ;;
		bare-otel)
			jar=$OUT/bare.jar
			jvm+=("${AGENT_ARGS[@]}") ;;
	esac
	local extra_name="EXTRA_${variant//-/_}"
	if [ -n "${!extra_name:-}" ]; then read -r -a extra <<<"${!extra_name}"; args+=("${extra[@]}"); fi
	java "${jvm[@]}" -jar "$jar" --server.port="$port" "${args[@]}" >"$OUT/$variant.log" 2>&1 &
	pids+=($!)
	pid_of[$variant]=$!
	await_url "http://127.0.0.1:$port/api/hello" && return 0
	echo "$variant did not start; see $OUT/$variant.log" >&2
	exit 1
}

# CPU time (user + system, in clock ticks) a process has used so far
CLOCK_TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# wrk output -> "requests_per_second p99_ms"
measure() {
	local port=$1 seconds=$2
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency "${WRK_SCRIPT[@]}" "http://127.0.0.1:$port/api/hello" | awk '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/Requests\/sec/ { rps = $2 }
		/^ +99%/ { p99 = ms($2) }
		END { printf "%.0f %.2f\n", rps, p99 }'
}

echo "== starting: $VARIANTS"
for variant in $VARIANTS; do start "$variant"; done

# Only the variant being measured runs; the others are stopped (SIGSTOP) so that their JIT, GC
# and timers take no CPU from it on this 2-CPU machine
only() {
	local v
	for v in $VARIANTS; do
		if [ "$v" = "$1" ]; then kill -CONT "${pid_of[$v]}"; else kill -STOP "${pid_of[$v]}"; fi
	done
}
echo "== warm-up: ${WARMUP}s each"
for variant in $VARIANTS; do only "$variant"; measure "$(port_of "$variant")" "$WARMUP" >/dev/null; done

# Profiles cover the measured rounds only. Starting a recording deoptimizes code for a while, so
# each profiled variant is warmed up again (a third of WARMUP) after its recording starts, and the
# profile written at the end begins with the measured rounds.
jfr() {
	local v
	for v in ${JFR:-}; do
		if [ "$1" = start ]; then
			only "$v"
			jcmd "${pid_of[$v]}" JFR.start name=bench settings=profile >/dev/null
			measure "$(port_of "$v")" $((WARMUP / 3)) >/dev/null
		else
			kill -CONT "${pid_of[$v]}"
			jcmd "${pid_of[$v]}" JFR.dump name=bench begin="$JFR_BEGIN" filename="$(pwd)/$OUT/$v.jfr" >/dev/null
			jcmd "${pid_of[$v]}" JFR.stop name=bench >/dev/null
		fi
	done
}
jfr start
JFR_BEGIN=$(date -u +%Y-%m-%dT%H:%M:%SZ)
results=$OUT/results.txt
: >"$results"
for round in $(seq "$ROUNDS"); do
	for variant in $VARIANTS; do
		only "$variant"
		before=$(cpu_ticks "${pid_of[$variant]}")
		read -r rps p99 <<<"$(measure "$(port_of "$variant")" "$DURATION")"
		after=$(cpu_ticks "${pid_of[$variant]}")
		cpu=$(awk -v t=$((after - before)) -v hz="$CLOCK_TICKS" -v r="$rps" -v d="$DURATION" 'BEGIN { printf "%.1f", t / hz * 1e6 / (r * d) }')
		echo "round $round  $variant  $rps req/s  p99 ${p99} ms  server CPU ${cpu} us/req"
		echo "$variant $rps $p99 $cpu" >>"$results"
	done
done

jfr stop
echo "== medians over $ROUNDS rounds of ${DURATION}s (${CONNECTIONS} connections, ${THREADS} wrk thread)"
table() {
bare_rps=$(awk '$1 == "bare" { print $2 }' "$results" | median)
bare_p99=$(awk '$1 == "bare" { print $3 }' "$results" | median)
bare_cpu=$(awk '$1 == "bare" { print $4 }' "$results" | median)
printf '| %-17s | %10s | %9s | %12s | %11s | %11s | %16s |\n' variant "req/s" "p99 ms" "req/s / bare" "p99 / bare" "CPU us/req" "bare CPU / CPU"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' ------------------- ------------ ----------- -------------- ------------- ------------- ------------------
for variant in $VARIANTS; do
	rps=$(awk -v v="$variant" '$1 == v { print $2 }' "$results" | median)
	p99=$(awk -v v="$variant" '$1 == v { print $3 }' "$results" | median)
	cpu=$(awk -v v="$variant" '$1 == v { print $4 }' "$results" | median)
	if [ -n "$bare_rps" ] && [ "$bare_rps" != 0 ]; then
		printf '| %-17s | %10.0f | %9.2f | %11.1f%% | %10.2fx | %11.1f | %15.1f%% |\n' "$variant" "$rps" "$p99" \
			"$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN { print 100 * a / b }')" \
			"$(awk -v a="$p99" -v b="$bare_p99" 'BEGIN { print a / b }')" "$cpu" \
			"$(awk -v a="$cpu" -v b="$bare_cpu" 'BEGIN { print 100 * b / a }')"
	else
		printf '| %-17s | %10.0f | %9.2f | %12s | %11s | %11.1f | %16s |\n' "$variant" "$rps" "$p99" - - "$cpu" -
	fi
done
echo
echo "Median of the per-round ratios (each variant against bare measured in the same round; steadier on a busy machine):"
echo
for variant in $VARIANTS; do
	per_round_ratio 2 "$variant" | awk -v v="$variant" '{ printf "- %s: %.1f%% of bare\n", v, 100 * $1 }'
done
echo
echo "Median of the per-round p99 ratios:"
echo
for variant in $VARIANTS; do
	per_round_ratio 3 "$variant" | awk -v v="$variant" '{ printf "- %s: p99 %.2fx bare'"'"'s\n", v, $1 }'
done
}
# Median over the rounds of a variant's value in COLUMN of the results divided by bare's in the same round
per_round_ratio() {
	awk -v c="$1" -v v="$2" '$1 == "bare" { b[++nb] = $c } $1 == v { x[++nx] = $c } END { for (i = 1; i <= nx; i++) print x[i] / b[i] }' "$results" \
		| median
}
table | tee "$OUT/table.md"

{
	echo
	echo "## Observability overhead on \`GET /api/hello\` ($(date -u +%Y-%m-%dT%H:%MZ))"
	echo
	machine_lines | sed "s|^- load average before the run: .*|- load average before the run: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)|"
	echo "- command: \`$(env | grep -E '^(VARIANTS|WARMUP|CONNECTIONS|THREADS|THINK_MS|JFR|JAVA_OPTS|SKIP_BUILD|EXTRA_[a-z_0-9]+)=' | sed 's/=\(.*\)/="\1"/' | tr '\n' ' ')$COMMAND\`"
	echo "- $ROUNDS rounds of ${DURATION}s per variant after ${WARMUP}s of warm-up each, variants alternated round by round; wrk $THREADS thread(s) x $CONNECTIONS connections on loopback; all variants started at once, one measured at a time while the others are stopped (SIGSTOP)"
	if [ -n "$THINK_MS" ]; then
		echo "- THINK_MS=$THINK_MS: each connection waits ${THINK_MS} ms before each request, so the variants serve about the same req/s below saturation; compare p99, not req/s"
	fi
	echo
	echo '```'
	awk '{ printf "%s %s req/s p99 %s ms CPU %s us/req\n", $1, $2, $3, $4 }' "$results"
	echo '```'
	echo
	cat "$OUT/table.md"
} >>"bench/history/RESULTS-$(date -u +%Y-%m).md"
