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
#   <variant>-aot      with Spring Boot's ahead-of-time processing: a jar built with it (the hello-app
#                      variants; the sample app's build always runs it) started with -Dspring.aot.enabled=true
#   <variant>-lazy     with --spring.main.lazy-initialization=true
#                      (both together: <variant>-aot-lazy). The table then also gives the ratio to bare
#                      treated the same way (bare-aot, bare-lazy), when that is measured too.
# Start-up time: the JVM's own uptime when the application has started, from Spring Boot's
# "Started ... (process running for X)" line. Resident memory: VmRSS from /proc/<pid>/status
# after one GET /api/hello and SETTLE seconds. Each start runs in a fresh temporary working
# directory (the sample app writes ./data). One discarded warm-up round first (page cache).
#
# CDS=1 runs every variant as Spring Boot's documentation recommends for fast start-up: the jar
# extracted (java -Djarmode=tools -jar app.jar extract), one training run per variant that writes a
# class data sharing archive (-XX:ArchiveClassesAtExit, -Dspring.context.exit=onRefresh), and every
# measured start with -XX:SharedArchiveFile. The training runs are not measured. Not for bare-otel:
# with a Java agent the JVM shares only the JDK's classes.
#
# Usage: bench/startup.sh [ROUNDS]      env: VARIANTS, SETTLE (s, default 2), JAVA_OPTS, SKIP_BUILD=1, CDS=1
# Prints every start, then medians and ratios against 'bare'; appends them to
# bench/history/RESULTS-<yyyy-mm>.md (then update bench/RESULTS.md by hand: bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

ROUNDS=${1:-7}
SETTLE=${SETTLE:-2}
DEFAULT_VARIANTS="bare hello-clambake hello-clambake-state boot-stock bare-otel clambake-nostate clambake-state"
if [ "${CDS:-0}" = 1 ]; then DEFAULT_VARIANTS=${DEFAULT_VARIANTS/ bare-otel/}; fi
VARIANTS=${VARIANTS:-$DEFAULT_VARIANTS}
COMMAND="bench/startup.sh $*"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# The switches a variant adds to its base (-aot, -lazy), empty for none
switches() { grep -o -- '\(-aot\|-lazy\)*$' <<<"$1" || true; }

build_jars
if [[ " $VARIANTS " == *" bare-otel "* ]]; then fetch_agent; fi
root=$(pwd)

pid=""
work=$(mktemp -d)
cleanup() { if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

# Sets jar, args and jvm for a variant
variant_spec() {
	args=(); jvm=()
	read -r -a jvm <<<"$JAVA_OPTS"
	case $1 in
		bare) jar=bare.jar ;;
		clambake-nostate) jar=sample.jar; args+=(--clambake.state.enabled=false) ;;
		clambake-state) jar=sample.jar ;;
		bare-otel) jar=bare.jar; jvm+=("${AGENT_ARGS[@]}") ;;
		boot-stock) jar=boot-stock.jar ;;
		hello-clambake) jar=hello-clambake.jar ;;
		hello-clambake-state) jar=hello-clambake-state.jar; args+=(--clambake.state.enabled=true) ;;
		clambake-noaop) jar=sample.jar; args+=(--clambake.state.enabled=false --spring.aop.auto=false) ;;
		*-lazy) variant_spec "${1%-lazy}"; args+=(--spring.main.lazy-initialization=true) ;;
		*-aot)
			variant_spec "${1%-aot}"
			if [ "$jar" != sample.jar ]; then jar=${jar%.jar}-aot.jar; fi
			jvm+=(-Dspring.aot.enabled=true) ;;
		*) echo "unknown variant $1" >&2; exit 1 ;;
	esac
}

# Build each ahead-of-time jar that an -aot variant starts, once
aot_jars=" "
for variant in $VARIANTS; do
	variant_spec "$variant"
	if [[ $jar == *-aot.jar && $aot_jars != *" $jar "* ]]; then build_aot_jar "${jar%-aot.jar}"; aot_jars+="$jar "; fi
done

# The path of the jar a variant starts: the benchmark's jar, or with CDS=1 its extracted form
jar_path() {
	if [ "${CDS:-0}" = 1 ]; then echo "$work/cds/${1%.jar}/$1"; else echo "$root/$BENCH_OUT/$1"; fi
}

# CDS=1: extract the variant's jar (once per jar) and write its archive in a training run
train_cds() {
	local variant=$1 jar args=() jvm=() dir
	variant_spec "$variant"
	if [[ " ${jvm[*]} " == *" -javaagent:"* ]]; then
		echo "$variant: CDS=1 does not apply to a variant with a Java agent (with one, the JVM shares only the JDK's own classes, and archiving while it runs is for testing only)" >&2
		exit 1
	fi
	mkdir -p "$work/cds"
	[ -d "$work/cds/${jar%.jar}" ] || java -Djarmode=tools -jar "$root/$BENCH_OUT/$jar" extract --destination "$work/cds/${jar%.jar}" >/dev/null
	dir=$(mktemp -d -p "$work")
	(cd "$dir" && java "${jvm[@]}" "-XX:ArchiveClassesAtExit=$work/cds/$variant.jsa" -Dspring.context.exit=onRefresh \
		-jar "$(jar_path "$jar")" --server.port=0 "${args[@]}") >"$dir/training.log" 2>&1 \
		|| { echo "$variant: the CDS training run failed" >&2; cat "$dir/training.log" >&2; exit 1; }
	[ -f "$work/cds/$variant.jsa" ] || { echo "$variant: no CDS archive written" >&2; cat "$dir/training.log" >&2; exit 1; }
	rm -rf "$dir"
}

# variant -> "uptime_seconds rss_kib"
run_once() {
	local variant=$1 jar args=() jvm=() dir log port uptime rss
	variant_spec "$variant"
	if [ "${CDS:-0}" = 1 ]; then jvm+=("-XX:SharedArchiveFile=$work/cds/$variant.jsa"); fi
	dir=$(mktemp -d -p "$work")
	log=$dir/app.log
	: >"$log"
	(cd "$dir" && exec java "${jvm[@]}" -jar "$(jar_path "$jar")" --server.port=0 "${args[@]}") >"$log" 2>&1 &
	pid=$!
	uptime=$(await_started "$pid" "$log")
	port=$(grep -o 'Tomcat started on port [0-9]*' "$log" | grep -o '[0-9]*$')
	curl -sf "http://127.0.0.1:$port/api/hello" >/dev/null
	sleep "$SETTLE"
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=""
	rm -rf "$dir"
	echo "$uptime $rss"
}

if [ "${CDS:-0}" = 1 ]; then
	for variant in $VARIANTS; do echo "== CDS training run: $variant" >&2; train_cds "$variant"; done
fi
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
	local bare_up bare_rss up rss alike alike_up alike_rss alike_columns=0 variant
	bare_up=$(awk '$1 == "bare" { print $2 }' "$results" | median)
	bare_rss=$(awk '$1 == "bare" { print $3 }' "$results" | median)
	# "bare alike" columns only when a variant has switches: bare with the same ones (bare-aot for
	# hello-clambake-aot), when measured
	for variant in $VARIANTS; do [ -z "$(switches "$variant")" ] || alike_columns=1; done
	if [ "$alike_columns" = 1 ]; then
		echo "| variant | start-up s (median) | / bare | / bare alike | RSS MiB (median) | / bare | / bare alike |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
	else
		echo "| variant | start-up s (median) | / bare | RSS MiB (median) | / bare |"
		echo "|---|---:|---:|---:|---:|"
	fi
	for variant in $VARIANTS; do
		up=$(awk -v v="$variant" '$1 == v { print $2 }' "$results" | median)
		rss=$(awk -v v="$variant" '$1 == v { print $3 }' "$results" | median)
		alike=bare$(switches "$variant")
		alike_up=$(awk -v v="$alike" '$1 == v { print $2 }' "$results" | median)
		alike_rss=$(awk -v v="$alike" '$1 == v { print $3 }' "$results" | median)
		awk -v v="$variant" -v up="$up" -v rss="$rss" -v bu="$bare_up" -v br="$bare_rss" -v au="$alike_up" \
			-v ar="$alike_rss" -v alike_columns="$alike_columns" 'BEGIN {
			if (alike_columns == 1) {
				printf "| %s | %.2f | %.2fx | %s | %.0f | %.2fx | %s |\n", v, up, up / bu,
					(au > 0) ? sprintf("%.2fx", up / au) : "-", rss / 1024, rss / br,
					(ar > 0) ? sprintf("%.2fx", rss / ar) : "-"
			} else {
				printf "| %s | %.2f | %.2fx | %.0f | %.2fx |\n", v, up, up / bu, rss / 1024, rss / br
			} }'
	done
}
echo "== medians over $ROUNDS rounds"
table | tee "$BENCH_OUT/startup-table.md"

{
	echo
	echo "## Start-up time and resident memory ($(date -u +%Y-%m-%dT%H:%MZ))"
	echo
	machine_lines | sed "s|^- load average before the run: .*|- load average before the run: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)|"
	echo "- command: \`$(env | grep -E '^(VARIANTS|SETTLE|JAVA_OPTS|SKIP_BUILD|CDS)=' | sed 's/=\(.*\)/="\1"/' | tr '\n' ' ')$COMMAND\`"
	echo "- start-up: JVM uptime in Spring Boot's \"Started ... (process running for X)\" line; RSS: VmRSS after one GET /api/hello and ${SETTLE}s"
	echo "- one process at a time, each in a fresh working directory; one warm-up start per variant discarded, then $ROUNDS rounds with the variants alternated"
	if [ "${CDS:-0}" = 1 ]; then
		echo "- CDS=1: every variant extracted and started with its own class data sharing archive, written by one training run (-XX:ArchiveClassesAtExit, -Dspring.context.exit=onRefresh)"
	fi
	echo
	echo '```'
	awk '{ printf "%s %ss %d MiB\n", $1, $2, $3 / 1024 }' "$results"
	echo '```'
	echo
	cat "$BENCH_OUT/startup-table.md"
} >>"bench/history/RESULTS-$(date -u +%Y-%m).md"
