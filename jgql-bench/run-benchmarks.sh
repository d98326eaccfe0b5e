#!/usr/bin/env bash
# Runs every jgql benchmark against ONE out-of-process countries server, one benchmark at a time.
#   jgql-bench/run-benchmarks.sh            # the published settings (~15 min on 2 cores)
#   QUICK=1 jgql-bench/run-benchmarks.sh    # a few seconds per benchmark: checks that everything still runs
#   JMH_ARGS='-f 1 -wi 2 -i 3 -w 2s -r 2s' jgql-bench/run-benchmarks.sh   # other JMH settings, full-size mains
# Build first: mvn -B -ntp package -DskipTests   (from the repository root)
# Results land in ${OUT:-jgql-bench/target/results}.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-4700}
OUT=${OUT:-jgql-bench/target/results}
mkdir -p "$OUT"
if [[ -n "${QUICK:-}" ]]; then
  JMH=(-f 1 -wi 1 -i 2 -w 1s -r 1s); SUBS=(20 200 2); HEAP=(2000 1); CYCLES=5
else
  JMH=(-f 1 -wi 3 -i 5 -w 3s -r 3s); SUBS=(100 2000 5); HEAP=(10000 3); CYCLES=20
fi
if [[ -n "${JMH_ARGS:-}" ]]; then read -r -a JMH <<< "$JMH_ARGS"; fi   # e.g. JMH_ARGS="-f 1 -wi 2 -i 3 -w 2s -r 2s"
java -jar jgql-countries/target/jgql-countries-0.1.0-SNAPSHOT.jar --port "$PORT" > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening" "$OUT/server.log" && break; sleep 0.2; done
URI="-Djgql.bench.http=http://127.0.0.1:$PORT/graphql"

# 1. HTTP (and WS) query round trip, all clients, same server.
java "$URI" -jar jgql-bench/core/target/benchmarks.jar 'QueryBenchmark' "${JMH[@]}" \
  -rf json -rff "$OUT/query-core.json" | tee "$OUT/query-core.txt"
java "$URI" -jar jgql-bench/smallrye/target/benchmarks-smallrye.jar 'SmallRyeQueryBenchmark' "${JMH[@]}" \
  -rf json -rff "$OUT/query-smallrye.json" | tee "$OUT/query-smallrye.txt"
# 4. Allocation per execute, jgql vs raw JDK (one caller).
java "$URI" -jar jgql-bench/core/target/benchmarks.jar 'QueryBenchmark.latency' -p client=raw,jgql,jgqlWs \
  -prof gc "${JMH[@]}" -rf json -rff "$OUT/alloc.json" | tee "$OUT/alloc.txt"
# 2. Subscriptions on one socket: events/s and client CPU per event; heap per idle subscription.
java "$URI" -cp jgql-bench/core/target/benchmarks.jar dev.jgql.bench.SubscriptionThroughput "${SUBS[@]}" | tee "$OUT/subscriptions.txt"
java "$URI" -Xmx2g -cp jgql-bench/core/target/benchmarks.jar dev.jgql.bench.IdleSubscriptionHeap "${HEAP[@]}" | tee "$OUT/idle-heap.txt"
# 3. Resilience: back-up-to-first-success (in-process server, restarted each cycle).
java -cp jgql-bench/core/target/benchmarks.jar dev.jgql.bench.ReconnectTime "$CYCLES" | tee "$OUT/reconnect.txt"
