#!/usr/bin/env bash
# JMH: one training step (engine kernel + optimizer step vs DL4J fit on one batch) over the grid
# nX in {10, 100, 1000}, nY in {1, 10}, batch in {32, 256, 4096}, float32/float64, beside a baseline
# that only gathers the batch's rows. Scores are steps/s; samples/s = score x batch.
#   benchmarks/jmh/run.sh                              # the whole grid (about 40 minutes)
#   benchmarks/jmh/run.sh -p nx=100 -p ny=1 -p dtype=float32   # any JMH options
# Installs the descent jar into ~/.m2 from the repository root first, then runs JMH from the classpath.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
(cd "$root" && mvn -q -B -DskipTests install)
(cd "$here" && mvn -q -B package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
source "$root/bin/descent-env.sh"
exec java -Dorg.bytedeco.javacpp.cachedir="${DESCENT_JAVACPP_CACHE:-$HOME/.javacpp/cache}" \
  -cp "$here/target/descent-jmh-0.1.0.jar:$(cat "$here/target/classpath.txt")" org.openjdk.jmh.Main "$@"
