#!/usr/bin/env bash
# Engine vs DL4J samples/s on N = 1,000,000 training rows, nX = 100, float32, for nY in {1, 10},
# batch in {32, 256, 4096}, Sgd and Nesterov (DL4J Nesterovs): one `descent compare` per cell, 2 epochs
# per side (EPOCHS to change) of which the first is warm-up. Prints one line per cell; full records under $OUT (default /tmp).
# Usage: benchmarks/compare-matrix.sh
#        BATCHES="4096" REPEAT=3 benchmarks/compare-matrix.sh   # some batch sizes; medians of 3 runs per side
#        BATCHES="4096" EPOCHS=6 benchmarks/compare-matrix.sh   # 5 timed epochs: a 0.1 s epoch is one noisy sample
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-${TMPDIR:-/tmp}/descent-compare-matrix}"
printf "%-15s %4s %6s %14s %14s %8s  %s\n" optimizer nY batch "engine /s" "DL4J /s" ratio verdict
for opt in sgd nesterov-keras; do
  for ny in 1 10; do
    for b in ${BATCHES:-32 256 4096}; do
      dir="$out/$opt-ny$ny-b$b"
      log=$("$root/descent" compare --rows 1250000 --test-fraction 0.2 --nx 100 --ny "$ny" --dtype float32 \
        --batch-size "$b" --epochs "${EPOCHS:-2}" --warmup-epochs 1 --repeat "${REPEAT:-1}" --optimizer "$opt" --lr 0.001 --momentum 0.9 --out "$dir" --overwrite || true)
      speed=$(grep '^speed after' <<<"$log" | sed -E 's/.*engine ([0-9,]+) samples\/s, DL4J ([0-9,]+) samples\/s/\1 \2/')
      e=$(cut -d' ' -f1 <<<"$speed" | tr -d ,); d=$(cut -d' ' -f2 <<<"$speed" | tr -d ,)
      verdict=$(grep -E '^(PARITY|LOSS)' <<<"$log" | cut -c1-60)
      printf "%-15s %4s %6s %14s %14s %7.1fx  %s\n" "$opt" "$ny" "$b" "$e" "$d" "$(echo "$e / $d" | bc -l)" "$verdict"
    done
  done
done
