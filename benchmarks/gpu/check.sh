#!/usr/bin/env bash
# The GPU check, in one go (within 10 minutes), on a machine with an NVIDIA GPU, Java 17 and Maven:
#   benchmarks/gpu/check.sh [OUT]        (default OUT: benchmarks/gpu/results/<GPU name>)
# or, on one with neither Java nor Maven, from the bundle of benchmarks/gpu/bundle.sh (built elsewhere):
#   DESCENT_BUNDLE=/tmp/descent-gpu benchmarks/gpu/check.sh [OUT]
# 1. builds the gpu profile (CUDA 12 presets, or CUDA 13's when only CUDA 13 libraries are installed);
# 2. runs the GPU tests (training on the GPU against the CPU engine, float64 within 1e-12, run-to-run bits;
#    NVRTC for this GPU);
# 3. compare: DL4J on the CPU beside the engine on the GPU;
# 4. the README's main job on the CPU and on the GPU;
# 5. a bench grid on the GPU (1M–100M rows, nX 100 and 1000, batch 256–65,536, float32), each cell beside
#    the GPU's own read and gather bounds; a cell is skipped, and said so, when the time left or the host's
#    or the GPU's free memory cannot hold it.
# Everything is written to OUT with the device's name. Ran on an NVIDIA H200 from the bundle
# (benchmarks/gpu/results/NVIDIA-H200/); the Maven path has not run on a GPU machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
budget=${CHECK_SECONDS:-570}
if ! gpu=$(nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total,memory.free --format=csv,noheader 2>/dev/null | head -1) \
   || [[ -z "$gpu" ]]; then
  echo "check.sh: no NVIDIA GPU here (nvidia-smi found none)" >&2
  exit 2
fi
name=${gpu%%,*}
slug=$(echo "$name" | tr -c 'A-Za-z0-9._-' '-' | sed 's/-*$//')
out=${1:-benchmarks/gpu/results/$slug}
mkdir -p "$out"
log="$out/check.log"
say() { echo "$*" | tee -a "$log"; }
: >"$log"
say "GPU: $gpu"
say "host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"

# Which CUDA the presets must match: the runtime libraries installed here (the system's, a CUDA toolkit's,
# or pip's nvidia-* wheels).
lib_dirs() {
  { ldconfig -p 2>/dev/null | awk -v l="$1" '$1 == l { print $NF }'
    ls /usr/local/cuda/lib64/"$1" /usr/local/cuda/targets/x86_64-linux/lib/"$1" /usr/local/cuda-*/lib*/"$1" 2>/dev/null
    for py in python3 /usr/bin/python3; do
      site=$("$py" -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null) || continue
      for d in $site; do ls "$d"/nvidia/*/lib/"$1" "$d"/nvidia/cu*/lib/"$1" 2>/dev/null; done
    done
    true
  } | xargs -r -n1 dirname | awk '!seen[$0]++' || true
}
if [[ -n "${DESCENT_BUNDLE:-}" ]]; then
  profile=$(cat "$DESCENT_BUNDLE/profile")
elif [[ -n "${DESCENT_PROFILE:-}" ]]; then
  profile=$DESCENT_PROFILE
elif [[ -n "$(lib_dirs libcublas.so.12)" ]]; then
  profile=gpu
elif [[ -n "$(lib_dirs libcublas.so.13)" ]]; then
  profile=gpu13
else
  profile=gpu
fi
major=12; [[ "$profile" == gpu13 ]] && major=13
libs=""
for l in libcudart.so.$major libcublas.so.$major libcublasLt.so.$major libnvrtc.so.$major; do
  d=$(lib_dirs "$l" | head -1)
  [[ -z "$d" ]] && { say "no $l found (ldconfig, /usr/local/cuda, pip's nvidia-* wheels)"; continue; }
  [[ ":$libs:" == *":$d:"* ]] || libs=${libs:+$libs:}$d
done
[[ -d /usr/local/nvidia/lib64 ]] && libs=${libs:+$libs:}/usr/local/nvidia/lib64
export LD_LIBRARY_PATH=$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export DESCENT_PROFILE=$profile
say "profile: $profile (CUDA $major libraries from $libs)"
plots=()
if [[ -n "${DESCENT_BUNDLE:-}" ]]; then
  # what the presets' JNI libraries would not find
  ldd "$DESCENT_BUNDLE"/cp/cuda-*-linux-x86_64/org/bytedeco/cuda/linux-x86_64/*.so 2>&1 | grep -E "^/|not found" | tee -a "$log" || true
  descent() { "$DESCENT_BUNDLE/run" dev.descent.cli.Main "$@"; }
  # the bundle's Java runtime has no java.desktop, so no figures
  "$DESCENT_BUNDLE/jre/bin/java" --list-modules | grep -q '^java.desktop@' || plots=(--no-plots)
else
  descent() { ./descent "$@"; }
fi

left() { echo $((budget - (SECONDS - start))); }
step() { say ""; say "== $1 ($(left) s left)"; }

step "build"
descent --version 2>&1 | tee -a "$log" || say "descent --version failed"

step "GPU tests"
tests=(CudaDeviceTest NvrtcTest DeviceBlockTest DeviceBenchTest)
if [[ -n "${DESCENT_BUNDLE:-}" ]]; then
  selectors=(); for t in "${tests[@]}"; do selectors+=(--select-class "dev.descent.gpu.$t"); done
  "$DESCENT_BUNDLE/run" -Ddescent.cuda.libs="$libs" org.junit.platform.console.ConsoleLauncher execute \
    --disable-banner --disable-ansi-colors --details=tree --reports-dir="$out/junit" "${selectors[@]}" >"$out/tests.txt" 2>&1 || true
  grep -E "max relative|tests (successful|failed|aborted)|✘" "$out/tests.txt" | tee -a "$log" || true
else
  mvn_args=(-Pgpu)
  [[ "$profile" == gpu13 ]] && mvn_args+=(-Dcuda.presets.version=13.1-9.19-1.5.13 -Djavacpp.gpu.version=1.5.13)
  mvn -B -q "${mvn_args[@]}" test -Dcuda.libs="$libs" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest="$(IFS=,; echo "${tests[*]}")" 2>&1 | tee -a "$log" | grep -E "Tests run|FAIL|relative" || true
  grep -h "max relative" target/surefire-reports/*CudaDeviceTest-output.txt 2>/dev/null | tee -a "$log" || true
  cp target/surefire-reports/*.txt "$out/" 2>/dev/null || true
fi

step "compare: DL4J on the CPU beside the engine on the GPU (float64)"
if [[ -n "${DESCENT_BUNDLE:-}" ]] && ! ls -d "$DESCENT_BUNDLE"/cp/deeplearning4j-nn-* >/dev/null 2>&1; then
  say "skipped: this bundle holds no DL4J (benchmarks/gpu/bundle.sh without BUNDLE_DL4J=1)"
else
  descent compare --kernel cuda --rows 200000 --nx 100 --dtype float64 --batch-size 256 --epochs 5 ${plots[@]+"${plots[@]}"} --out "$out/compare" 2>&1 | tee -a "$log" || say "compare failed"
fi

step "the README's main job, CPU then GPU"
descent train --rows 1250000 --nx 100 --batch-size 256 --epochs 5 ${plots[@]+"${plots[@]}"} --out "$out/main-cpu" 2>&1 | tee -a "$log" | grep -E "epoch|samples/s|MSE" || true
descent train --rows 1250000 --nx 100 --batch-size 256 --epochs 5 --kernel cuda ${plots[@]+"${plots[@]}"} --out "$out/main-gpu" 2>&1 | tee -a "$log" | grep -E "device|epoch|samples/s|MSE" || true

step "bench grid on the GPU (float32)"
free_host() { awk '/MemAvailable/ { printf "%.0f\n", $2 * 1024 }' /proc/meminfo; }
free_gpu() { nvidia-smi --query-gpu=memory.free --format=csv,noheader,nounits | head -1 | awk '{ printf "%.0f\n", $1 * 1048576 }'; }
secs_per_gelement=""  # measured on the first cell: seconds per 1e9 elements of X, generation and all
for cell in "1000000 100" "1000000 1000" "10000000 100" "10000000 1000" "100000000 100"; do
  read -r rows nx <<<"$cell"
  bytes=$((rows * (nx + 1) * 4))
  est=60
  [[ -n "$secs_per_gelement" ]] && est=$(awk -v s="$secs_per_gelement" -v r="$rows" -v n="$nx" 'BEGIN { printf "%d", s * r * n / 1e9 + 10 }')
  if (( bytes * 3 > $(free_host) )); then say "skipped ${rows}x$nx: the host has $(($(free_host) >> 30)) GiB free, needs $((bytes * 3 >> 30))"; continue; fi
  if (( bytes * 5 / 4 > $(free_gpu) )); then say "skipped ${rows}x$nx: the GPU has $(($(free_gpu) >> 30)) GiB free"; continue; fi
  if (( est > $(left) - 20 )); then say "skipped ${rows}x$nx: about $est s needed, $(left) s left"; continue; fi
  t0=$SECONDS
  descent bench --kernel cuda --rows "$rows" --nx "$nx" --batch-size 256,4096,65536 --dtype float32 --epochs 3 \
    --warmup-epochs 1 --no-dl4j ${plots[@]+"${plots[@]}"} --out "$out/bench-$rows-$nx" 2>&1 | tee -a "$log" | grep -vE "^descent:" || true
  spent=$((SECONDS - t0))
  secs_per_gelement=$(awk -v s="$spent" -v r="$rows" -v n="$nx" 'BEGIN { print s / (r * n / 1e9) }')
done
if (( $(left) > 60 )); then
  step "in order (no gather), 10M x 100"
  descent bench --kernel cuda --rows 10000000 --nx 100 --batch-size 4096,65536 --dtype float32 --epochs 3 --warmup-epochs 1 \
    --no-dl4j --no-shuffle ${plots[@]+"${plots[@]}"} --out "$out/bench-inorder" 2>&1 | tee -a "$log" | grep -vE "^descent:" || true
fi
say ""
say "done in $((SECONDS - start)) s; results in $out"
