#!/usr/bin/env bash
# The one-pass sweep against one model and against 400 separate runs, on N = 100,000 training rows,
# nX = 100, nY = 1, float32, batch 32, 3 epochs, a 20x20 (learning rate, momentum) grid (EMA form).
# Prints: the sweep's training time, the 400 single-model runs' total (same batches, in-process), and
# one model's training time (a 1x1 sweep would add nothing: `train` is the single-model path).
# Usage: benchmarks/sweep-vs-separate.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${TMPDIR:-/tmp}/descent-sweep-bench"
common=(--rows 125000 --test-fraction 0.2 --nx 100 --ny 1 --dtype float32 --batch-size 32 --epochs 3 --seed 7)
"$root/descent" sweep "${common[@]}" --lr log:0.001:0.5:20 --momentum 0:0.95:20 --separately --out "$out/sweep" \
  | grep -E "^(sweep|trained|separately)"
"$root/descent" train "${common[@]}" --optimizer ema --lr 0.01 --momentum 0.5 --no-exact --progress off --out "$out/one" \
  | grep -E "^time:"
