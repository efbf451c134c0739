#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1, started from the Maven jars alone: a master, a worker with
# two cores, and descent's driver. It checks that
#   1. train --spark spark://… --solver gd equals the single-machine engine's full-batch run (float64,
#      relative ‖Δθ‖ ≤ 1e-12; both hold out the last 20 % of the rows, the default --test-fraction), and
#   2. the same run with its executor killed mid-run (Spark starts another and reruns the lost tasks) gives
#      the undisturbed run's bits,
# then stops the cluster. Usage: benchmarks/spark/cluster-check.sh [rows] [rounds]. Needs nothing but the
# JDK and Maven; about two minutes on 2 cores. Exit 0 when both checks hold.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rows="${1:-400000}"
rounds="${2:-30}"
source benchmarks/spark/cluster.sh
wait_for() { # file pattern seconds
  local t=0
  until grep -q "$2" "$1" 2>/dev/null; do
    sleep 1; t=$((t + 1))
    if (( t > $3 )); then echo "cluster-check: '$2' not seen in $1 after $3 s:" >&2; tail -20 "$1" >&2; exit 1; fi
  done
}
t0=$(date +%s)
cluster_start 2

export JAVA_OPTS="-Dspark.driver.host=127.0.0.1 -Dspark.executor.memory=3g"
run=(--rows "$rows" --nx 50 --ny 2 --dtype float64 --epochs "$rounds" --optimizer nesterov-keras --lr 0.1 --momentum 0.9
     --progress off --no-plots)
./descent train --spark "spark://127.0.0.1:$port" --partitions 4 --solver gd "${run[@]}" --out "$work/cluster" > "$work/cluster.out"
./descent train --batch-size 0 --no-shuffle --no-exact "${run[@]}" --out "$work/alone" > "$work/alone.out"

# The same cluster run, its executor killed after a few rounds.
./descent train --spark "spark://127.0.0.1:$port" --partitions 4 --solver gd "${run[@]}" --out "$work/killed" > "$work/killed.out" &
driver=$!
wait_for "$work/killed.out" "epoch    5/" 120
pkill -9 -f "CoarseGrainedExecutorBackend.*127.0.0.1" && echo "cluster-check: executor killed during round 5 or 6"
wait "$driver"

# gd on the cluster vs one machine, and the run with a killed executor vs the undisturbed one
python3 benchmarks/spark/theta.py "cluster-check: gd on the cluster vs one machine" "$work/cluster" "$work/alone" "$work/killed"
echo "cluster-check: passed in $(( $(date +%s) - t0 )) s"
