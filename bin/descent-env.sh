# Sourced by ./descent, bin/java-env (Maven's test JVMs) and the benchmark scripts: the native-library
# settings descent runs with. Each is only a default: a value already in the environment wins.

# One OpenMP/OpenBLAS thread: two were slower for the small per-batch gemv/gemm on 2 cores (README).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# OpenBLAS 0.3.19, the version ND4J 1.0.0-M2.1 ships, gives wrong results with its AVX-512 kernels
# (SkylakeX, Cooperlake) in this DYNAMIC_ARCH build: measured on a Sapphire Rapids Xeon, the Cholesky
# factorization behind least squares returned NaN or values off by 1e36 under both, and was right under
# Haswell's (OpenBLAS issues 2986 and 3454, fixed in 0.3.21). Haswell's AVX2 kernels trained as fast there
# (docs/engine.md, "BLAS kernels"). So on a CPU with AVX-512, OpenBLAS runs its Haswell kernels.
descent_avx512() {
  [[ -r /proc/cpuinfo ]] || return 1
  local flags
  flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2-) "
  [[ "$flags" == *" avx512f "* && "$flags" == *" avx2 "* ]]
}
if [[ -z "${OPENBLAS_CORETYPE+set}" ]] && descent_avx512; then
  export OPENBLAS_CORETYPE=Haswell
fi
