# Sourced by ./descent and benchmarks/jmh/run.sh: the native-library settings descent runs with.
# Each is only a default: a value already in the environment wins.

# One OpenMP/OpenBLAS thread: two were slower for the small per-batch gemv/gemm on 2 cores (README).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# OpenBLAS 0.3.19, the version ND4J 1.0.0-M2.1 ships, predates AMD Zen 4 and gives it its AVX2 "Zen"
# kernels. Its AVX-512 SkylakeX kernels, which Zen 4 and later run, include small-matrix gemm kernels
# that skip packing: the per-batch products of nX 100, nY 10, 491 rows ran 1.9x as fast
# (52.7 + 55.7 -> 32.8 + 23.6 ns a row, README "BLAS kernels"). Intel CPUs are detected by OpenBLAS itself.
descent_amd_avx512() {
  [[ -r /proc/cpuinfo ]] || return 1
  grep -q -m1 '^vendor_id[[:space:]]*:[[:space:]]*AuthenticAMD' /proc/cpuinfo || return 1
  local flags f
  flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2-) "
  for f in avx512f avx512dq avx512cd avx512bw avx512vl; do
    [[ "$flags" == *" $f "* ]] || return 1
  done
}
if [[ -z "${OPENBLAS_CORETYPE+set}" ]] && descent_amd_avx512; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
