#!/usr/bin/env bash
# Rollout simulation: requests lost when a load balancer keeps routing for 2s after SIGTERM,
# with Clambake's 2s drain vs. with Clambake's shutdown switched off. Appends to
# bench/history/RESULTS-<yyyy-mm>.md (then update bench/RESULTS.md by hand: bench/README.md).
# Usage: bench/shutdown-drain.sh [ROUNDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${1:-5}"
connections="${2:-32}"
jar=sample-app/target/clambake-sample-app-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ]; then
	./mvnw -q -pl sample-app -am package -DskipTests
fi

command="java bench/ShutdownDrainBench.java $jar $rounds $connections"
table="$($command)"
{
	echo
	echo "## Shutdown drain: requests lost during a rollout ($(date -u +%Y-%m-%d))"
	echo
	echo "- machine: $(uname -srm), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "- JDK: $(java -version 2>&1 | head -1)"
	echo "- command: \`bench/shutdown-drain.sh $rounds $connections\` (runs \`$command\`)"
	echo "- load: $connections concurrent clients, each a new connection per \`GET /api/work?ms=200\`, 2s of warm-up,"
	echo "  then SIGTERM and 2s more of new connections (a load balancer that has not yet seen the pod leave);"
	echo "  a client whose request failed waits 200ms (a served request's time) before the next, so both variants"
	echo "  send alike; variants alternate round by round. A lost request was sent in those 2s and did not answer 200."
	echo
	echo "$table"
} | tee -a "bench/history/RESULTS-$(date -u +%Y-%m).md"
