#!/usr/bin/env bash
# Issue 11 target: none vs schema over HTTP (long warm-up: 5 x 2 s still climbed), 2 rotated rounds (a third one, the same commands, ran later); then in-process, 5 rotated rounds.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
OUT=${OUT:-jgql-bench/results/schema-long-warmup}
mkdir -p "$OUT"
J=${JAVA:-java}
while awk "{exit !(\$1 >= 1.0)}" /proc/loadavg; do sleep 5; done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" > $OUT/load.txt
$J -jar jgql-countries/target/jgql-countries-0.1.0-SNAPSHOT.jar --port 4708 > $OUT/server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening" $OUT/server.log && break; sleep 0.2; done
URI="-Djgql.bench.http=http://127.0.0.1:4708/graphql"
for mode in none; do
  $J "$URI" -jar jgql-bench/core/target/benchmarks.jar 'SchemaBenchmark' -p mode=$mode -p size=small -p transport=http -f 1 -wi 0 -i 1 -r 10s > $OUT/warm-$mode.txt 2>&1
done
for round in 1 2; do
  if [ $((round % 2)) = 1 ]; then ORDER="none schema"; else ORDER="schema none"; fi
  for mode in $ORDER; do
    $J "$URI" -jar jgql-bench/core/target/benchmarks.jar 'SchemaBenchmark' -p mode=$mode -p size=small \
      -p transport=http -f 1 -wi 10 -i 5 -w 5s -r 5s -rf json -rff $OUT/r$round-$mode.json > $OUT/r$round-$mode.txt 2>&1
    echo "round $round $mode; load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/load.txt
  done
done
for round in 1 2 3 4 5; do
  if [ $((round % 2)) = 1 ]; then ORDER="none schema"; else ORDER="schema none"; fi
  for mode in $ORDER; do
    $J "$URI" -jar jgql-bench/core/target/benchmarks.jar 'SchemaBenchmark' -p mode=$mode -p size=small \
      -p transport=inprocess -f 1 -wi 10 -i 5 -w 1s -r 2s -rf json -rff $OUT/ip$round-$mode.json > $OUT/ip$round-$mode.txt 2>&1
    echo "inprocess round $round $mode; load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/load.txt
  done
done
echo DONE >> $OUT/load.txt
