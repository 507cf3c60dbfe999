#!/usr/bin/env bash
# CPU (or allocation) profile of one of the benchmark jars with async-profiler (from Maven Central,
# as a JVM agent), for finding where start-up or per-request time and memory go. Not a benchmark:
# nothing is appended to the results, and a profiled process runs slower than an unprofiled one.
#
#   bench/profile.sh startup JAR [APP_ARGS...]   samples every thread from JVM start until Boot's
#                                                "Started" line
#   bench/profile.sh load JAR [APP_ARGS...]      starts the jar on port 18199, warms up GET /api/hello
#                                                with wrk (WARMUP s), then samples LOAD s of load
#
# JAR is a file in bench/target (sample.jar, bare.jar, boot-stock.jar, hello-clambake.jar, ...;
# built by the other scripts). Writes bench/target/profile-<mode>-<jar>[-alloc].collapsed (one line
# per stack: thread;frame;...;frame count) and prints the samples per thread and the frames that are
# on the stack in most samples of the main thread (startup) or of the request threads (load).
#   env: EVENT (cpu, the default, or alloc: the counts are then bytes allocated, sampled every
#        INTERVAL bytes, default 512k), INTERVAL (default 1ms for cpu), WARMUP (default 40),
#        LOAD (default 20), TOP (default 40), MATCH (a regular expression: list only the frames
#        that match it)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

MODE=${1:?usage: bench/profile.sh startup|load JAR [APP_ARGS...]}
JAR=${2:?usage: bench/profile.sh startup|load JAR [APP_ARGS...]}
shift 2
EVENT=${EVENT:-cpu}
case $EVENT in
	cpu) INTERVAL=${INTERVAL:-1ms}; SAMPLING="event=cpu,interval=$INTERVAL" ;;
	alloc) INTERVAL=${INTERVAL:-512k}; SAMPLING="event=alloc,alloc=$INTERVAL,total" ;;
	*) echo "EVENT must be cpu or alloc" >&2; exit 1 ;;
esac
WARMUP=${WARMUP:-40}
LOAD=${LOAD:-20}
TOP=${TOP:-40}
MATCH=${MATCH:-.}
PROFILER_VERSION=${PROFILER_VERSION:-4.2}
[ -f "$BENCH_OUT/$JAR" ] || { echo "no $BENCH_OUT/$JAR: run a benchmark script first (it builds the jars)" >&2; exit 1; }

# async-profiler's Maven Central artifact carries the native agent for each platform
agent=$BENCH_OUT/async-profiler/linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/libasyncProfiler.so
if [ ! -f "$agent" ]; then
	./mvnw -q -B dependency:copy -Dartifact="tools.profiler:async-profiler:$PROFILER_VERSION" \
		-DoutputDirectory="$BENCH_OUT" -Dmdep.stripVersion=true
	(cd "$BENCH_OUT" && mkdir -p async-profiler && cd async-profiler && unzip -q -o ../async-profiler.jar 'linux-*')
fi
agent=$(cd "$(dirname "$agent")" && pwd)/libasyncProfiler.so
root=$(pwd)
suffix=""; [ "$EVENT" = cpu ] || suffix=-$EVENT
out=$root/$BENCH_OUT/profile-$MODE-${JAR%.jar}$suffix.collapsed
read -r -a jvm <<<"$JAVA_OPTS"
work=$(mktemp -d)
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

case $MODE in
	startup)
		(cd "$work" && exec java "${jvm[@]}" \
			"-agentpath:$agent=start,$SAMPLING,threads,file=$out,collapsed" \
			-jar "$root/$BENCH_OUT/$JAR" --server.port=0 "$@") >"$work/app.log" 2>&1 &
		pid=$!
		echo "process running for $(await_started "$pid" "$work/app.log")"
		# the profile is written when the JVM exits
		kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
		threads='^[[](main|DestroyJavaVM)'
		;;
	load)
		ensure_wrk
		(cd "$work" && exec java "${jvm[@]}" -jar "$root/$BENCH_OUT/$JAR" --server.port=18199 "$@") \
			>"$work/app.log" 2>&1 &
		pid=$!
		await_url http://127.0.0.1:18199/api/hello || { cat "$work/app.log" >&2; exit 1; }
		wrk -t1 -c16 -d"${WARMUP}s" http://127.0.0.1:18199/api/hello >/dev/null
		# jcmd's parser would read the agent's options as name=value arguments unless quoted
		jcmd "$pid" JVMTI.agent_load "$agent" "\"start,$SAMPLING,threads\"" >/dev/null
		wrk -t1 -c16 -d"${LOAD}s" http://127.0.0.1:18199/api/hello | grep 'Requests/sec'
		jcmd "$pid" JVMTI.agent_load "$agent" "\"stop,file=$out,collapsed\"" >/dev/null
		threads='^[[]http-nio-[0-9]+-exec-'
		;;
	*) echo "mode must be startup or load" >&2; exit 1 ;;
esac

echo "== $out"
echo "== $EVENT samples per thread (numbers in thread names folded)"
awk '{ n = $NF; t = $0; sub(/;.*/, "", t); gsub(/[0-9]+/, "N", t); s[t] += n } END { for (t in s) print s[t], t }' "$out" \
	| sort -rn | head -8
echo "== frames on the stack in the most samples of the threads matching $threads${MATCH:+, frames matching $MATCH}"
awk -v threads="$threads" -v match_re="$MATCH" '
	{ n = $NF; line = $0; sub(/ [0-9]+$/, "", line); k = split(line, f, ";") }
	f[1] !~ threads { next }
	{
		total += n; delete seen
		for (i = 2; i <= k; i++) if (!(f[i] in seen)) { seen[f[i]] = 1; if (f[i] ~ match_re) c[f[i]] += n }
	}
	END { for (m in c) printf "%5.1f%% %s\n", 100 * c[m] / total, m; print "100.0% (" total " samples)" }' "$out" \
	| sort -rn | head -"$TOP"
