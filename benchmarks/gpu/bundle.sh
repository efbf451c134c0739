#!/usr/bin/env bash
# Packs the GPU check for a machine that has a GPU and CUDA's libraries but no Java, no Maven and no
# network (the GPU machines this workplace lends):
#   benchmarks/gpu/bundle.sh [gpu|gpu13] [FILE]      (default: gpu13, .gpu/descent-gpu.tar.xz)
# FILE holds a Java runtime cut down by jlink, descent's jar and test classes, its runtime dependencies
# (native jars unpacked, so that JavaCPP loads their libraries in place) and JUnit's console launcher;
# about 60 MB, xz-compressed. On the GPU machine:
#   tar -xJf FILE -C /tmp && DESCENT_BUNDLE=/tmp/descent-gpu benchmarks/gpu/check.sh
# The CUDA libraries (cudart, cuBLAS, NVRTC of the profile's major version) and the driver are the machine's.
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=${1:-gpu13}
file=${2:-.gpu/descent-gpu.tar.xz}
args=(-Pgpu)
[[ "$profile" == gpu13 ]] && args+=(-Dcuda.presets.version=13.1-9.19-1.5.13 -Djavacpp.gpu.version=1.5.13)
junit=org.junit.platform:junit-platform-console-standalone:1.10.3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
b=$work/descent-gpu
mkdir -p "$b/lib"
echo "bundle: building the $profile profile" >&2
mvn -B -q "${args[@]}" clean -DskipTests package test-compile dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$b/lib" >&2
mvn -B -q dependency:copy -Dartifact=$junit -DoutputDirectory="$b" >&2
cp target/descent-0.1.0.jar "$b/"
cp -r target/test-classes "$b/test-classes"
rm -rf "$b"/test-classes/{numpy,torch,lapack}    # reference data of the CPU tests, not the GPU tests
echo "$profile" >"$b/profile"

# Every jar unpacked, one folder each on the class path: classes and libraries compress far better in one
# xz stream than inside their jars, and JavaCPP loads a library found in a folder in place. Left out:
# MKL's JNI (descent loads OpenBLAS) and the CUDA presets' JNI for libraries descent does not call.
mkdir -p "$b/cp"
rm -f "$b"/lib/mkl-*.jar "$b"/lib/*-android-*.jar "$b"/lib/*-macosx-*.jar "$b"/lib/*-windows-*.jar
# DL4J and what only it needs (train, bench and the GPU tests ran without them; compare needs them): the
# bundle must fit in the 64 MiB a lent GPU machine is sent. BUNDLE_DL4J=1 keeps them.
if [[ -z "${BUNDLE_DL4J:-}" ]]; then
  for a in deeplearning4j- datavec- pdfbox- pdfbox-io- fontbox- freemarker- graphics2d- animated-gif-lib- fastutil- \
           javax.json- stream- t-digest- commons-net- neoitertools- resources- commons-compress- jna- jna-platform- \
           oshi-core- oshi-json- joda-time- threetenbp- commons-collections4- gson- byteunits- javax.activation- opencsv-; do
    rm -f "$b/lib/$a"[0-9]*.jar "$b/lib/$a"*-[0-9]*.jar
  done
fi
for jar in "$b"/lib/*.jar; do
  d="$b/cp/$(basename "$jar" .jar)"
  mkdir -p "$d"
  (cd "$d" && unzip -qo "$jar")
done
rm -r "$b/lib"
for f in "$b"/cp/cuda-*-linux-x86_64/org/bytedeco/cuda/linux-x86_64/*.so; do
  case "$(basename "$f")" in libjnicudart.so|libjnicublas.so|libjninvrtc.so) ;; *) rm "$f" ;; esac
done
# JavaCPP links libopenblas_nolapack.so.0 to libopenblas.so.0 when it unpacks a jar; in place it needs the link.
(cd "$b"/cp/openblas-*-linux-x86_64/org/bytedeco/openblas/linux-x86_64 && ln -s libopenblas.so.0 libopenblas_nolapack.so.0)
find "$b/cp" -name '*.so*' -type f -exec strip --strip-unneeded {} + 2>/dev/null || true
mkdir -p "$b/bin"
cp bin/descent-env.sh "$b/bin/"
cat >"$b/run" <<'RUN'
#!/usr/bin/env bash
# java with descent's class path and native-library settings, from the unpacked bundle
b="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$b/bin/descent-env.sh"
cp="$b/descent-0.1.0.jar"
for d in "$b"/cp/*; do cp="$cp:$d"; done
exec "$b/jre/bin/java" ${JAVA_OPTS:-} -Dorg.bytedeco.javacpp.cachedir="${TMPDIR:-/tmp}/descent-javacpp" \
  -Dorg.bytedeco.javacpp.maxbytes=0 -Dorg.bytedeco.javacpp.maxphysicalbytes=0 \
  -cp "$cp:$b/test-classes:$(echo "$b"/junit-platform-console-standalone-*.jar)" "$@"
RUN
chmod +x "$b/run"

echo "bundle: Java runtime (jlink)" >&2
# No java.desktop (about 4 MB compressed): no figures, so check.sh runs train and bench with --no-plots.
jlink --add-modules java.base,java.logging,java.management,java.naming,java.scripting,java.sql,java.xml,jdk.unsupported,jdk.management \
  --strip-debug --no-man-pages --no-header-files --output "$b/jre"
find "$b/jre" -name '*.so' -exec strip --strip-unneeded {} + 2>/dev/null || true

echo "bundle: compressing" >&2
mkdir -p "$(dirname "$file")"
tar -C "$work" -cf - descent-gpu | xz -9e -T2 >"$file.tmp"
mv "$file.tmp" "$file"
echo "bundle: $file, $(du -m "$file" | cut -f1) MB" >&2
