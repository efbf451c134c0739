#!/usr/bin/env bash
# descent against MLlib's LinearRegression (l-bfgs, normal) on a Spark standalone cluster on 127.0.0.1
# started from the Maven jars (as cluster-check.sh does), with 1 and then 2 executors of one core each.
# Writes benchmarks/spark/results/mllib-<executors>[-p<partitions>].json. Usage: benchmarks/spark/mllib.sh [rows] [nx]
# [partitions] (default 4).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rows="${1:-2000000}"
nx="${2:-50}"
parts="${3:-4}"
suffix=$([ "$parts" = 4 ] && echo "" || echo "-p$parts")
source benchmarks/spark/cluster.sh
cluster_start 2
for executors in 1 2; do
  echo "mllib: $executors executor(s) of one core, $rows rows, nX $nx" >&2
  java "${opens[@]}" -Dspark.driver.host=127.0.0.1 -Dspark.executor.cores=1 -Dspark.cores.max="$executors" \
    -Dspark.executor.memory=2g -Dorg.bytedeco.javacpp.maxbytes=0 -Dorg.bytedeco.javacpp.maxphysicalbytes=0 \
    -cp "$cp" dev.descent.spark.ClusterBench "spark://127.0.0.1:$port" "$rows" "$nx" "$parts" \
    > "benchmarks/spark/results/mllib-$executors$suffix.json"
  cat "benchmarks/spark/results/mllib-$executors$suffix.json"
done
