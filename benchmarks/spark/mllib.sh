#!/usr/bin/env bash
# descent against MLlib's LinearRegression (l-bfgs, normal) on a Spark standalone cluster on 127.0.0.1
# started from the Maven jars (as cluster-check.sh does), with 1 and then 2 executors of one core each.
# Writes benchmarks/spark/results/mllib-<executors>.json. Usage: benchmarks/spark/mllib.sh [rows] [nx]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rows="${1:-2000000}"
nx="${2:-50}"
source benchmarks/spark/cluster.sh
cluster_start 2
for executors in 1 2; do
  echo "mllib: $executors executor(s) of one core, $rows rows, nX $nx" >&2
  java "${opens[@]}" -Dspark.driver.host=127.0.0.1 -Dspark.executor.cores=1 -Dspark.cores.max="$executors" \
    -Dspark.executor.memory=2g -Dorg.bytedeco.javacpp.maxbytes=0 -Dorg.bytedeco.javacpp.maxphysicalbytes=0 \
    -cp "$cp" dev.descent.spark.ClusterBench "spark://127.0.0.1:$port" "$rows" "$nx" 4 \
    > "benchmarks/spark/results/mllib-$executors.json"
  cat "benchmarks/spark/results/mllib-$executors.json"
done
