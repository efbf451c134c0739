#!/usr/bin/env bash
# Epoch time and samples/s of `descent train` on N = 1,000,000 training rows, nX = 100, nY = 1, float32,
# batch 256 (the figure quoted in the README), once per OpenMP thread count given (default: 1 2).
# Usage: benchmarks/train-epoch.sh [threads...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
for t in "${@:-1 2}"; do
  for threads in $t; do
    echo "== OMP_NUM_THREADS=$threads"
    OMP_NUM_THREADS=$threads "$root/descent" train --rows 1250000 --test-fraction 0.2 --nx 100 --ny 1 \
      --dtype float32 --batch-size 256 --epochs 5 --lr 0.01 --no-exact --progress off \
      --out "${TMPDIR:-/tmp}/descent-bench-$threads" | grep -E "^epoch|^time:"
  done
done
