#!/usr/bin/env bash
# Network faults between the sample app and its dependencies: the state store on PostgreSQL
# and the named HTTP client `upstream`, each behind a loopback TCP proxy that refuses,
# black-holes, freezes, cuts or delays. For each fault: time until the call errs, its status,
# readiness during the fault, time until the call succeeds once the fault clears. Appends to
# bench/history/RESULTS-<yyyy-mm>.md (then update bench/RESULTS.md by hand: bench/README.md).
#
#   bench/faults.sh [POSTGRES_HOST:PORT]    (default 127.0.0.1:5432, user postgres, trust
#                                            auth, database test)
set -euo pipefail
cd "$(dirname "$0")/.."

postgres="${1:-127.0.0.1:5432}"
jar=sample-app/target/clambake-sample-app-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ]; then
	./mvnw -q -B -pl sample-app -am package -DskipTests
fi

command="java bench/FaultBench.java $jar $postgres"
table="$($command)"
{
	echo
	echo "## Faults: the state store and an upstream behind a faulty network ($(date -u +%Y-%m-%d))"
	echo
	echo "- machine: $(uname -srm), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- JDK: $(java -version 2>&1 | head -1)"
	echo "- command: \`bench/faults.sh $postgres\` (runs \`$command\`)"
	echo "- the sample app with its store at \`jdbc:postgresql://127.0.0.1:<proxy>/test?user=postgres\` and"
	echo "  \`sample.upstream.url\` at a second proxy in front of an HTTP server in the program that answers 200 at once;"
	echo "  the store is called with \`POST /api/tasks\`, the upstream with \`GET /api/upstream\`, one call at a time."
	echo "  refuse and black-hole also cut the open connections (otherwise pooled connections keep working);"
	echo "  cut holds each chunk 1s, cuts every connection 300ms into the call and lets traffic pass again."
	echo "  A store call that failed is made once more while the fault holds (\"next call\"): the first may only have met"
	echo "  a pooled connection the fault cut. Readiness is \`/actuator/health/readiness\` read once while the fault holds;"
	echo "  time to recover runs from clearing the fault to the first call that succeeds."
	echo "$table" | sed -n '1p'
	echo
	echo "$table" | sed -n '2,$p' | sed '/./,$!d'
} | tee -a "bench/history/RESULTS-$(date -u +%Y-%m).md"
