# Shared by the benchmark scripts (sourced, not run). Expects the repository root as the
# working directory.

BENCH_OUT=${BENCH_OUT:-bench/target}
AGENT_VERSION=${AGENT_VERSION:-2.33.1}
# The same JVM options for every variant of every benchmark
JAVA_OPTS=${JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+UseG1GC"}

# Install wrk from Debian when it is missing (a fresh machine).
ensure_wrk() {
	command -v wrk >/dev/null && return 0
	echo "== installing wrk" >&2
	if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
	else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
}

# Build the jars the benchmarks run into $BENCH_OUT:
#   sample.jar      the sample app (Clambake starter, every capability)
#   bare.jar        bench/hello-app: spring-boot-starter-webmvc only
#   boot-stock.jar  bench/hello-app -Pstock: + actuator, Prometheus, OpenTelemetry starter
#   hello-clambake.jar  bench/hello-app -Pclambake: + the Clambake starter, nothing else
#   hello-clambake-state.jar  bench/hello-app -Pclambake-state: + the starter and the state store's
#                   run-time libraries (HikariCP, Flyway, SQLite), as the sample app has them
# SKIP_BUILD=1 reuses jars already there.
build_jars() {
	mkdir -p "$BENCH_OUT"
	if [ "${SKIP_BUILD:-0}" = 1 ] && [ -f "$BENCH_OUT/sample.jar" ] && [ -f "$BENCH_OUT/bare.jar" ] \
		&& [ -f "$BENCH_OUT/boot-stock.jar" ] && [ -f "$BENCH_OUT/hello-clambake.jar" ] \
		&& [ -f "$BENCH_OUT/hello-clambake-state.jar" ]; then
		return 0
	fi
	echo "== building" >&2
	./mvnw -q -B -pl sample-app -am clean install -DskipTests
	cp sample-app/target/clambake-sample-app-0.1.0-SNAPSHOT.jar "$BENCH_OUT/sample.jar"
	local name
	for name in bare boot-stock hello-clambake hello-clambake-state; do
		./mvnw -q -B -f bench/hello-app/pom.xml clean package -DskipTests "-P$(hello_app_profile "$name")"
		cp bench/hello-app/target/clambake-bench-hello-app-0.1.0-SNAPSHOT.jar "$BENCH_OUT/$name.jar"
	done
}

# The bench/hello-app profile a jar name is built with
hello_app_profile() {
	case $1 in
		bare) echo bare ;; boot-stock) echo stock ;; hello-clambake) echo clambake ;;
		hello-clambake-state) echo clambake-state ;;
		*) echo "no bench/hello-app profile for $1" >&2; exit 1 ;;
	esac
}

# Build $BENCH_OUT/<name>-aot.jar: bench/hello-app with the profile of <name> and Spring Boot's
# ahead-of-time processing (the aot profile), for java -Dspring.aot.enabled=true. The sample
# app's own build already runs the processing, so sample.jar needs no second jar.
# SKIP_BUILD=1 reuses a jar already there.
build_aot_jar() {
	local name=$1
	if [ "${SKIP_BUILD:-0}" = 1 ] && [ -f "$BENCH_OUT/$name-aot.jar" ]; then return 0; fi
	echo "== building $name-aot.jar" >&2
	./mvnw -q -B -f bench/hello-app/pom.xml clean package -DskipTests "-P$(hello_app_profile "$name"),aot"
	cp bench/hello-app/target/clambake-bench-hello-app-0.1.0-SNAPSHOT.jar "$BENCH_OUT/$name-aot.jar"
}

# Wait up to a minute for Spring Boot's "Started ... (process running for X)" line in LOG from the
# process PID, and print X (the JVM's uptime in seconds); exits with the log if the process ends first.
await_started() {
	local pid=$1 log=$2
	for _ in $(seq 1200); do
		grep -q 'process running for' "$log" && break
		if ! kill -0 "$pid" 2>/dev/null; then echo "the application exited; see $log" >&2; cat "$log" >&2; exit 1; fi
		sleep 0.05
	done
	grep -o 'process running for [0-9.]*' "$log" | grep -o '[0-9.]*$'
}

# Wait up to two minutes for a URL to answer with a 2xx (an application starting); fails if it never does.
await_url() {
	for _ in $(seq 240); do
		curl -sf "$1" >/dev/null && return 0
		sleep 0.5
	done
	return 1
}

# Download the OpenTelemetry Java agent into $BENCH_OUT/opentelemetry-javaagent.jar.
fetch_agent() {
	[ -f "$BENCH_OUT/opentelemetry-javaagent.jar" ] && return 0
	./mvnw -q -B dependency:copy -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$AGENT_VERSION" \
		-DoutputDirectory="$BENCH_OUT" -Dmdep.stripVersion=true
}

# JVM arguments that attach the agent with every exporter off
AGENT_ARGS=(-javaagent:"$(pwd)/$BENCH_OUT/opentelemetry-javaagent.jar" -Dotel.traces.exporter=none
	-Dotel.metrics.exporter=none -Dotel.logs.exporter=none)

# Markdown lines describing the machine and the JDK
machine_lines() {
	echo "- machine: $(uname -srm), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- JDK: $(java -version 2>&1 | head -1), JVM options \`$JAVA_OPTS\`"
}

# Median of the numbers on stdin, one a line
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
