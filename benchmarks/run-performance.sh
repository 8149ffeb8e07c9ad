#!/usr/bin/env bash
# Performance benchmark of the kluster.ai client against the floor (Reactor Netty +
# Jackson) and its peers (Spring AI 2.0.1, openai-java), on an nginx stub: see
# docs/performance.md. Usage, from anywhere:
#   benchmarks/run-performance.sh          # the full run, about 15 minutes on 2 cores
#   benchmarks/run-performance.sh quick    # a smoke test of a few minutes
#   BENCH_CLIENTS=kluster,kluster-direct benchmarks/run-performance.sh   # some clients only
#   (BENCH_CLIENTS=kluster,kluster-paced,kluster-paced-redis adds the pacer with its budgets
#   in a redis-server that the benchmark starts, and the round trip to Redis; skipped when
#   redis-server is not installed)
#   (the floor always runs; BENCH_OUT=folder keeps a second run's files apart;
#   BENCH_JVM="-XX:..." adds options to every forked JVM, e.g. a JFR recording;
#   BENCH_PROPS="-Dbench.startupRuns=0 -Dbench.workloads=s50x1,s2000" passes properties
#   to the launcher: no start-up runs, some workloads only)
# Writes $BENCH_OUT/performance.md (default benchmarks/target/performance) and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${BENCH_OUT:-benchmarks/target/performance}"
mkdir -p "$out"
# Absolute, so that BENCH_OUT may be given either way.
out="$(cd "$out" && pwd)"

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
	else
		echo "nginx is needed: apt-get install nginx-light" >&2
		exit 1
	fi
fi

export MAVEN_ARGS="${MAVEN_ARGS:--B -ntp -q}"
# The benchmark module and what it needs (compile only: the verify phase would also run
# the batch benchmark), and its runtime classpath without the peers (provided scope).
./mvnw -Pbenchmarks -pl benchmarks -am compile dependency:build-classpath -DskipTests \
	-DincludeScope=runtime -Dmdep.outputFile="$out/cp-main.txt"
# The peers, the actuator that the "kluster-observed" client adds to the main classpath and
# the Redis client that "kluster-paced-redis" adds.
for peer in spring-ai openai-java actuator redis; do
	./mvnw -f "benchmarks/peers/$peer/pom.xml" dependency:build-classpath \
		-DincludeScope=runtime -Dmdep.outputFile="$out/cp-$peer.txt"
done
# Other builds may rewrite the modules' target/classes while the benchmark runs: measure
# a copy taken now.
rm -rf "$out/classes" && mkdir -p "$out/classes"
cp -r benchmarks/target/classes "$out/classes/benchmarks"
classes="$out/classes/benchmarks"
deps=""
IFS=: read -ra entries < "$out/cp-main.txt" || true
for entry in "${entries[@]}"; do
	if [[ "$entry" == "$PWD"/*/target/classes ]]; then
		[ -d "$entry" ] || continue
		module="$(basename "$(dirname "$(dirname "$entry")")")"
		cp -r "$entry" "$out/classes/$module"
		entry="$out/classes/$module"
	fi
	deps="$deps:$entry"
done
main="$classes$deps"

quick=false
[ "${1:-}" = quick ] && quick=true
java -Xmx256m -cp "$main" \
	-Dbench.dir="$out" -Dbench.quick=$quick -Dbench.clients="${BENCH_CLIENTS:-}" \
	-Dbench.jvm="${BENCH_JVM:-}" ${BENCH_PROPS:-} \
	-Dbench.cp.main="$main" \
	-Dbench.cp.actuator="$main:$(cat "$out/cp-actuator.txt")" \
	-Dbench.cp.redis="$main:$(cat "$out/cp-redis.txt")" \
	-Dbench.cp.spring-ai="$classes:$(cat "$out/cp-spring-ai.txt")" \
	-Dbench.cp.openai-java="$classes:$(cat "$out/cp-openai-java.txt")" \
	dev.kluster.boot.benchmarks.perf.PerformanceBenchmark
