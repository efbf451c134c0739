#!/usr/bin/env bash
# Fetches NVIDIA's runtime compiler (NVRTC), the CUDA runtime and the driver's client library from
# Debian's non-free archive into DIR (default ~/.cache/descent/cuda-libs-trixie), unpacked, without installing anything:
# what the GPU profile's tests need to compile descent's device code for sm_90 and newer on a machine
# without a GPU (NVRTC needs none). Each package's SHA-256 is checked against the archive's signed-off
# index. Prints the folder to put on LD_LIBRARY_PATH.
#
# Debian trixie carries CUDA 12.4 (NVRTC targets up to sm_90a) and driver 550's libcuda.so.1.
set -euo pipefail
dir=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/descent/cuda-libs-trixie}
mkdir -p "$dir" && dir=$(cd "$dir" && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=trixie
packages=(libnvrtc12 libnvrtc-builtins12.4 libcudart12 libcuda1)

if [[ -f "$dir/.complete" ]]; then
  echo "$dir/usr/lib/x86_64-linux-gnu:$dir/usr/lib/x86_64-linux-gnu/nvidia/current"
  exit 0
fi
mkdir -p "$dir/debs"
index="$dir/debs/Packages"
curl -fsS --retry 3 "$mirror/dists/$suite/non-free/binary-amd64/Packages.xz" | xz -d >"$index"
for p in "${packages[@]}"; do
  entry=$(awk -v p="$p" '$0 == "Package: " p {on=1} on && /^$/ {exit} on' "$index")
  file=$(sed -n 's/^Filename: //p' <<<"$entry")
  sum=$(sed -n 's/^SHA256: //p' <<<"$entry")
  if [[ -z "$file" || -z "$sum" ]]; then
    echo "nvrtc-libs: $p is not in Debian $suite non-free any more ($mirror)" >&2
    exit 1
  fi
  deb="$dir/debs/${file##*/}"
  [[ -f "$deb" ]] || curl -fsS --retry 3 -o "$deb.part" "$mirror/$file"
  [[ -f "$deb" ]] || mv "$deb.part" "$deb"
  if ! echo "$sum  $deb" | sha256sum -c --quiet -; then
    rm -f "$deb"
    echo "nvrtc-libs: $deb does not match the archive's SHA-256" >&2
    exit 1
  fi
  dpkg-deb -x "$deb" "$dir"
done
touch "$dir/.complete"
echo "$dir/usr/lib/x86_64-linux-gnu:$dir/usr/lib/x86_64-linux-gnu/nvidia/current"
