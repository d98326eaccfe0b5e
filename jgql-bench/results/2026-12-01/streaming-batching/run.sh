#!/usr/bin/env bash
# Issues 13 and 14: batching, upload throughput, SSE vs WebSocket; one out-of-process countries server.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
OUT=${OUT:-jgql-bench/results/streaming-batching}
J=${JAVA:-java}
mkdir -p "$OUT"
while awk "{exit !(\$1 >= 1.0)}" /proc/loadavg; do sleep 5; done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" > $OUT/load.txt
$J -jar jgql-countries/target/jgql-countries-0.1.0-SNAPSHOT.jar --port 4706 > $OUT/server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening" $OUT/server.log && break; sleep 0.2; done
URI="-Djgql.bench.http=http://127.0.0.1:4706/graphql"
for round in 1 2 3; do
  case $round in 1) B="single,automatic,explicit"; U="jgql,raw";; 2) B="explicit,automatic,single"; U="raw,jgql";; 3) B="automatic,single,explicit"; U="jgql,raw";; esac
  $J "$URI" -jar jgql-bench/core/target/benchmarks.jar 'BatchBenchmark' -p mode=$B -f 1 -wi 3 -w 3s -i 3 -r 3s \
    -rf json -rff $OUT/batch-r$round.json > $OUT/batch-r$round.txt 2>&1
  echo "round $round batch; load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/load.txt
  $J "$URI" -jar jgql-bench/core/target/benchmarks.jar 'UploadBenchmark' -p client=$U -f 1 -wi 2 -w 3s -i 3 -r 3s \
    -rf json -rff $OUT/upload-r$round.json > $OUT/upload-r$round.txt 2>&1
  echo "round $round upload; load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/load.txt
done
$J "$URI" -cp jgql-bench/core/target/benchmarks.jar dev.jgql.bench.SseVsWebSocket 100 2000 3 > $OUT/sse-vs-ws.txt 2>&1
echo "sse-vs-ws; load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/load.txt
echo DONE >> $OUT/load.txt
