#!/usr/bin/env bash
# Where start-up goes, step by step and bean by bean: a diagnostic beside startup.sh, not a
# benchmark (nothing is appended to the results). Starts the bench/hello-app jars with Spring's
# start-up steps recorded as Flight Recorder events (-Dbench.startup-steps=true, which makes the
# app use FlightRecorderApplicationStartup), variants alternated round by round, and prints with
# bench/StartupSteps.java the median of each step (environment, configuration classes, bean
# post-processing, web server, refresh) and the beans that take longest to create, by self time.
#
# Usage: bench/startup-steps.sh [ROUNDS]   env: VARIANTS (jars of bench/hello-app: bare,
#        boot-stock, hello-clambake, hello-clambake-state; default "bare boot-stock hello-clambake"),
#        TOP (beans listed, default 25), JAVA_OPTS, SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

ROUNDS=${1:-5}
VARIANTS=${VARIANTS:-"bare boot-stock hello-clambake"}
TOP=${TOP:-25}
build_jars
read -r -a jvm <<<"$JAVA_OPTS"
root=$(pwd)

pid=""
work=$(mktemp -d)
cleanup() { if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

# variant round -> the JVM uptime at "Started"; leaves the recording in $work/<variant>-<round>.jfr
record_once() {
	local variant=$1 round=$2 args=() dir log uptime
	if [ "$variant" = hello-clambake-state ]; then args+=(--clambake.state.enabled=true); fi
	dir=$(mktemp -d -p "$work")
	log=$dir/app.log
	: >"$log"
	(cd "$dir" && exec java "${jvm[@]}" -Dbench.startup-steps=true -XX:StartFlightRecording \
		-jar "$root/$BENCH_OUT/$variant.jar" --server.port=0 "${args[@]}") >"$log" 2>&1 &
	pid=$!
	uptime=$(await_started "$pid" "$log")
	jcmd "$pid" JFR.dump name=1 "filename=$work/$variant-$round.jfr" >/dev/null
	kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=""
	rm -rf "$dir"
	echo "$uptime"
}

for variant in $VARIANTS; do [ -f "$BENCH_OUT/$variant.jar" ] || { echo "unknown variant $variant" >&2; exit 1; }; done
for variant in $VARIANTS; do echo "warm-up  $variant  started at JVM uptime $(record_once "$variant" 0)s"; done
recordings=()
for round in $(seq "$ROUNDS"); do
	for variant in $VARIANTS; do
		echo "round $round  $variant  started at JVM uptime $(record_once "$variant" "$round")s"
		recordings+=("$variant=$work/$variant-$round.jfr")
	done
done
java bench/StartupSteps.java "$TOP" "${recordings[@]}"
