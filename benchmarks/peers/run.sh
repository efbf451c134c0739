#!/usr/bin/env bash
# descent beside the peers a user would pick instead, on one machine in one run: `descent bench` (which
# runs DL4J on the same batches and this machine's gather and read bounds), then numpy's loop, PyTorch
# with index batches and PyTorch's DataLoader (benchmarks/peers/peers.py). 1M x 100 float32, nY 1,
# shuffled, batch 32 / 256 / 4096. descent runs with one thread a batch (and DL4J) and with --threads 2, the
# peers with 1 and 2 threads. Writes benchmarks/peers/results/{descent,descent-2-threads}/bench.* and peers-*.csv.
# Installs Debian's python3-numpy and python3-torch if missing (CI does not run this).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! /usr/bin/python3 -c 'import numpy, torch' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-torch >/dev/null
fi
out=benchmarks/peers/results
mkdir -p "$out"
./descent --version >/dev/null # build first: never compile while measuring
# descent after four warm-up epochs (its JIT compiles the step's methods in the second epoch at batch 256),
# the peers after one (numpy and PyTorch run native code from the start)
timeout -s KILL 1800 ./descent bench --dl4j-rows 250000 --epochs 8 --warmup-epochs 4 --out "$out/descent" --overwrite | tail -6
timeout -s KILL 1200 ./descent bench --no-dl4j --threads 2 --epochs 8 --warmup-epochs 4 --out "$out/descent-2-threads" \
    --overwrite | tail -5
for t in 1 2; do
  echo "peers with $t thread(s):"
  OMP_NUM_THREADS=$t timeout -s KILL 1800 /usr/bin/python3 benchmarks/peers/peers.py "$out/peers-$t-threads.csv"
done
