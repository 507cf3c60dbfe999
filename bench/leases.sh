#!/usr/bin/env bash
# What leases and single-replica jobs cost the database (transactions per second of an idle
# replica, of one running job and of three replicas sharing a job every second) and how long a
# job waits after its holder is killed. The sample app on PostgreSQL, in a database of its own
# (clambake_lease_bench, dropped and created again). Appends to
# bench/history/RESULTS-<yyyy-mm>.md (then update bench/RESULTS.md by hand: bench/README.md).
#
#   bench/leases.sh [POSTGRES_HOST:PORT] [WINDOW_SECONDS] [KILLS]
#                   (default 127.0.0.1:5432, user postgres, trust auth; 30s windows; 3 kills)
set -euo pipefail
cd "$(dirname "$0")/.."

postgres="${1:-127.0.0.1:5432}"
window="${2:-30}"
kills="${3:-3}"
jar=sample-app/target/clambake-sample-app-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ]; then
	./mvnw -q -B -pl sample-app -am package -DskipTests
fi

command="java bench/LeaseBench.java $jar $postgres $window $kills"
table="$($command)"
{
	echo
	echo "## Leases: database cost and take-over time ($(date -u +%Y-%m-%dT%H:%MZ))"
	echo
	echo "- machine: $(uname -srm), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- JDK: $(java -version 2>&1 | head -1)"
	echo "- command: \`bench/leases.sh $postgres $window $kills\` (runs \`$command\`)"
	echo "- the sample app (\`SampleBatchJob\`, a \`@SingleReplica\` job) on PostgreSQL; transactions counted by the"
	echo "  server (\`pg_stat_database\` of the bench's own database), operations by the apps"
	echo "  (\`clambake_state_operations_total\`). A run is: acquire (1 write transaction), two reads of the database's"
	echo "  clock, one fenced create, one release; a skipped attempt is one write transaction; a running job renews"
	echo "  every third of its lease duration. Nothing polls between schedules."
	echo
	echo "$table"
} | tee -a "bench/history/RESULTS-$(date -u +%Y-%m).md"
