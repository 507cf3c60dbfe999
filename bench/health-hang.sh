#!/usr/bin/env bash
# /actuator/health against an upstream that accepts connections and never answers:
# the sample app with Clambake's health (time boxes) against the same app with
# --clambake.health.enabled=false (plain Spring Boot health). Both run at once; requests
# alternate between them, one at a time. Results are appended to
# bench/history/RESULTS-<yyyy-mm>.md (then update bench/RESULTS.md by hand: bench/README.md).
#
#   bench/health-hang.sh            (ROUNDS=20 MAX_TIME=5 by default)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-20}
# What a probe would wait at most (Kubernetes' timeoutSeconds); curl gives up after it
MAX_TIME=${MAX_TIME:-5}
JAR=sample-app/target/clambake-sample-app-0.1.0-SNAPSHOT.jar
[ -f "$JAR" ] || ./mvnw -q -pl sample-app -am package -DskipTests

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

java bench/HangingServer.java >"$work/hang.port" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/hang.port" ] && break; sleep 0.2; done
upstream="http://127.0.0.1:$(head -1 "$work/hang.port")/"

common=(--server.port=0 --sample.upstream.url="$upstream" --management.endpoint.health.show-details=always)
java -jar "$JAR" "${common[@]}" >"$work/on.log" 2>&1 &
pids+=($!)
java -jar "$JAR" "${common[@]}" --clambake.health.enabled=false >"$work/off.log" 2>&1 &
pids+=($!)
port_of() { # log -> port, once the app has started
	for _ in $(seq 1 600); do
		if grep -q 'Started SampleApplication' "$1"; then
			grep -o 'Tomcat started on port [0-9]*' "$1" | grep -o '[0-9]*$'
			return
		fi
		sleep 0.2
	done
	echo "app did not start: $1" >&2; cat "$1" >&2; exit 1
}
port_on=$(port_of "$work/on.log"); port_off=$(port_of "$work/off.log")
# Warm the web layer without touching health
for port in "$port_on" "$port_off"; do curl -sf --max-time 10 "http://127.0.0.1:$port/api/hello" >/dev/null; done

measure() { # port -> "seconds http_code"
	curl -s -o /dev/null -w '%{time_total} %{http_code}\n' --max-time "$MAX_TIME" \
		"http://127.0.0.1:$1/actuator/health" || true
}
: >"$work/on.txt"; : >"$work/off.txt"
for _ in $(seq 1 "$ROUNDS"); do
	measure "$port_on" >>"$work/on.txt"
	measure "$port_off" >>"$work/off.txt"
done

stats() { # file -> "median_ms max_ms timeouts"
	sort -n "$1" | awk '{ t[NR]=$1*1000; if ($2=="000") to++ } END {
		n=NR; m=(n%2)?t[(n+1)/2]:(t[n/2]+t[n/2+1])/2; printf "%.0f %.0f %d\n", m, t[n], to+0 }'
}
read -r on_median on_max on_timeouts < <(stats "$work/on.txt")
read -r off_median off_max off_timeouts < <(stats "$work/off.txt")
ratio=$(awk -v a="$off_median" -v b="$on_median" 'BEGIN { printf "%.0f", (b > 0) ? a / b : 0 }')

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //' || uname -m)
{
	echo
	echo "## health-hang: /actuator/health with a hanging upstream ($(date -u +%Y-%m-%dT%H:%MZ))"
	echo
	echo "- machine: $(uname -sr), $(nproc) cores, ${cpu}"
	echo "- JDK: $(java -version 2>&1 | head -1)"
	echo "- command: \`ROUNDS=$ROUNDS MAX_TIME=$MAX_TIME bench/health-hang.sh\`"
	echo "- upstream: TCP server on loopback that accepts and never answers; the \`upstream\` indicator's own read timeout is 10s"
	echo "- $ROUNDS rounds, alternating variants, one request at a time, curl --max-time $MAX_TIME"
	echo
	echo "| variant | median ms | max ms | curl timeouts (> ${MAX_TIME}s) |"
	echo "|---|---|---|---|"
	echo "| Clambake health (timeout 2s) | $on_median | $on_max | $on_timeouts/$ROUNDS |"
	echo "| plain Spring Boot (\`--clambake.health.enabled=false\`) | $off_median | $off_max | $off_timeouts/$ROUNDS |"
	echo
	echo "Median ratio plain/Clambake: ${ratio}x. Clambake answers either at once (the hung run is past its time box and is read, not restarted) or after about 2s (a new run, once the indicator's own 10s read timeout ended the previous one), so its median sits between the two; plain Spring Boot holds every request for the whole upstream wait."
} | tee -a "bench/history/RESULTS-$(date -u +%Y-%m).md"
