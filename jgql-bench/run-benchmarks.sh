#!/usr/bin/env bash
# Runs every jgql benchmark against ONE out-of-process countries server, one benchmark at a time.
#   jgql-bench/run-benchmarks.sh            # the published settings (~15 min on 2 cores)
#   QUICK=1 jgql-bench/run-benchmarks.sh    # a few seconds per benchmark: checks that everything still runs
#   JMH_ARGS='-f 1 -wi 2 -i 3 -w 2s -r 2s' jgql-bench/run-benchmarks.sh   # other JMH settings, full-size mains
#
# Interleaved rounds (the engine targets): every client once per round, rounds one after the other, on each JDK
# given, then one table of medians and ratios per JDK (BenchSummary), and allocation per call with -prof gc:
#   ROUNDS=3 JDKS="/usr/lib/jvm/java-17-openjdk-amd64/bin/java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java" \
#     jgql-bench/run-benchmarks.sh
#   CLIENTS="raw jgql jgqlEngine" ...   # a subset (default: raw jgql jgqlEngine jgqlListener jgqlVertx smallrye
#                                       #   jgqlWs jgqlVertxWs)
# Measure on a quiet machine only: nothing else building or testing (check `uptime`: load under 1).
#
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

if [[ -n "${ROUNDS:-}" ]]; then
  DIR="$OUT/interleaved"
  rm -rf "$DIR"; mkdir -p "$DIR"
  JDKS=${JDKS:-java}
  CLIENTS=${CLIENTS:-raw jgql jgqlEngine jgqlListener jgqlVertx smallrye jgqlWs jgqlVertxWs}
  ROUND_JMH=${ROUND_JMH:--f 1 -wi 5 -i 3 -w 2s -r 3s}
  read -r -a RJMH <<< "$ROUND_JMH"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$DIR/load.txt"
  # The server's JIT needs about a minute of traffic: without this, round 1's first clients met a cold server
  # (a small query went from 9,000 to 24,000 ops/s within one benchmark).
  java "$URI" -jar jgql-bench/core/target/benchmarks.jar 'QueryBenchmark.throughput$' -p client=raw,jgqlVertx \
    -p size=small,large -f 1 -wi 0 -i 1 -r 15s > "$DIR/server-warm-up.txt" 2>&1
  echo "server warmed up; load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$DIR/load.txt"
  j=0
  for JAVA in $JDKS; do
    j=$((j + 1))
    "$JAVA" -version 2>&1 | head -1 | tee "$DIR/jdk$j.txt"
    for round in $(seq "$ROUNDS"); do
      for client in $CLIENTS; do
        if [[ "$client" == smallrye ]]; then
          "$JAVA" "$URI" -jar jgql-bench/smallrye/target/benchmarks-smallrye.jar 'SmallRyeQueryBenchmark.throughput' \
            -p size=small,large "${RJMH[@]}" -rf json -rff "$DIR/jdk$j-r$round-$client.json" > "$DIR/jdk$j-r$round-$client.txt" 2>&1
        else
          "$JAVA" "$URI" -jar jgql-bench/core/target/benchmarks.jar 'QueryBenchmark.throughput' -p client="$client" \
            -p size=small,large "${RJMH[@]}" -rf json -rff "$DIR/jdk$j-r$round-$client.json" > "$DIR/jdk$j-r$round-$client.txt" 2>&1
        fi
        echo "jdk$j round $round $client done; load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$DIR/load.txt"
      done
    done
    # Allocation per call, one caller: deterministic enough that one run per JDK suffices.
    "$JAVA" "$URI" -jar jgql-bench/core/target/benchmarks.jar 'QueryBenchmark.throughput1' \
      -p client=raw,jgql,jgqlEngine,jgqlListener,jgqlVertx,jgqlWs,jgqlVertxWs -p size=small,large -prof gc \
      "${RJMH[@]}" -rf json -rff "$DIR/jdk$j-alloc.json" > "$DIR/jdk$j-alloc.txt" 2>&1
  done
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$DIR/load.txt"
  java -cp jgql-bench/core/target/benchmarks.jar dev.jgql.bench.BenchSummary "$DIR" 2>/dev/null | tee "$DIR/summary.md"
  exit 0
fi

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
java "$URI" -cp jgql-bench/core/target/benchmarks.jar dev.jgql.bench.SseVsWebSocket "${SUBS[@]}" | tee "$OUT/sse-vs-websocket.txt"
java "$URI" -Xmx2g -cp jgql-bench/core/target/benchmarks.jar dev.jgql.bench.IdleSubscriptionHeap "${HEAP[@]}" | tee "$OUT/idle-heap.txt"
# 3. Resilience: back-up-to-first-success (in-process server, restarted each cycle).
java -cp jgql-bench/core/target/benchmarks.jar dev.jgql.bench.ReconnectTime "$CYCLES" | tee "$OUT/reconnect.txt"
