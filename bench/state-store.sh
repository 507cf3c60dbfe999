#!/usr/bin/env bash
# State store vs plain JDBC on the same SQLite file and settings; appends the result to
# bench/history/RESULTS-<yyyy-mm>.md (then update bench/RESULTS.md by hand: bench/README.md).
# Usage: bench/state-store.sh [rounds] [keys-per-round]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-7}"
keys="${2:-500}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

./mvnw -q -pl autoconfigure -am install -DskipTests
./mvnw -q -pl autoconfigure dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile="$work/cp.txt"
cp="autoconfigure/target/classes:$(cat "$work/cp.txt")"
javac -d "$work/classes" -cp "$cp" bench/StateStoreBenchmark.java
output="$(java --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
	-cp "$work/classes:$cp" StateStoreBenchmark "$rounds" "$keys" 2>"$work/stderr.txt" | grep -E '^(store|plain|RESULT)')"
echo "$output"

{
	echo
	echo "## State store vs plain JDBC (SQLite) — $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
	echo "- JDK: $(java -version 2>&1 | head -1)"
	echo "- command: \`bench/state-store.sh $rounds $keys\` ($rounds alternating rounds per variant after one warm-up each; $keys keys per round, each created, read and replaced: $((keys * 3)) operations)"
	echo "- settings: store defaults (WAL, synchronous=FULL, busy timeout 5s); plain JDBC uses the same pragmas, the same tables and the same rows (document + audit row per write, one transaction, BEGIN IMMEDIATE)"
	echo
	echo '```'
	echo "$output"
	echo '```'
} >>"bench/history/RESULTS-$(date -u +%Y-%m).md"
