#!/usr/bin/env bash
# Dense linear algebra, descent against numpy on the same machine and data shape: the Hessian spectrum
# (`descent analyze`) and the exact least-squares solution (`descent train --solver exact`) at
# 20,000 rows, nY 1, float32 data, nX 500, 2,000 and 8,000 (override with ROWS=... WIDTHS="...").
# descent's times are the ones it prints for the computation itself (Gram matrix + eigenvalues or
# solve), not the JVM start or the data generation; numpy's are taken the same way.
# Needs Debian's python3-numpy with OpenBLAS (installed here if missing); results go to stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${ROWS:-20000}"
WIDTHS="${WIDTHS:-500 2000 8000}"
if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null || ! ls /usr/lib/x86_64-linux-gnu/libopenblas*.so* >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy libopenblas0-pthread >/dev/null
fi
./descent --version >/dev/null # build first: never compile while measuring
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
for nx in $WIDTHS; do
  ./descent analyze --rows "$ROWS" --test-fraction 0 --nx "$nx" | grep -E '^computed in' | sed "s/^/descent analyze nX=$nx: /"
  ./descent train --rows "$ROWS" --test-fraction 0 --nx "$nx" --solver exact --out "$(mktemp -d)/run" --overwrite \
    | grep -E '^solver:' | sed "s/^/descent exact nX=$nx: /"
  /usr/bin/python3 benchmarks/lapack/numpy_lapack.py "$ROWS" "$nx"
done
