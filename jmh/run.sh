#!/usr/bin/env bash
# Builds the library and the JMH suite, runs the suite (JSON in jmh/results/), times the same
# shapes with NumPy/OpenBLAS and PyTorch (jmh/compare.py) and writes the side-by-side table
# (jmh/results/table.md). See jmh/README.md.
#
#   bash jmh/run.sh [--quick | --readme] [--threads 1,2] [--jdk DIR] [--only REGEX] [-- JMH options...]
#
#   --quick        a first look: 1 fork, 2 warm-up and 3 measured iterations of 1 s
#                  (default: the classes' own settings, 2 forks, 5 + 5 iterations)
#   --threads L    the library's thread counts to run, e.g. 1,2 (default 1)
#   --jdk DIR      run the benchmarks on the JDK in DIR (e.g. /usr/lib/jvm/temurin-25-jdk-amd64);
#                  the build itself uses the default JDK (Java 17 bytecode runs on both)
#   --only REGEX   JMH's benchmark selection, e.g. 'Sgemm|TrainingStep'
#   --readme       the tables of docs/speed: the shapes of SimpleConvNet and of a 64-channel layer, the
#                  squares 512-2048 (1024³ also at 2 threads) and the training step at 1 and 2
#                  threads, 2 forks of 2 + 3 one-second iterations (the step: 5 warm-up
#                  iterations of 2 s), the paired thread scaling of both
#                  (ThreadScalingBenchmark, its own iterations) and the squares and convolution
#                  products in rounds alternated with OpenBLAS (compare.py --paired-jar): about
#                  25 minutes instead of the full suite's 45
#   -- ...         anything after -- goes to JMH unchanged (e.g. -p shape=NN:1000x1000x1000)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
threads=1
jdk=""
only=""
readme=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --threads) threads="$2"; shift ;;
    --jdk) jdk="$2"; shift ;;
    --only) only="$2"; shift ;;
    --readme) readme=1 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

java_bin=java
if [ -n "$jdk" ]; then
  java_bin="$jdk/bin/java"
  [ -x "$java_bin" ] || { echo "run.sh: --jdk $jdk: no executable bin/java there" >&2; exit 2; }
fi

cd "$root"
echo "== building the library and the benchmarks"
mvn -q install -DskipTests
mvn -q -f jmh/pom.xml package

mkdir -p jmh/results
jar=jmh/target/benchmarks.jar
envtmp=$(mktemp)
"$java_bin" --add-modules=jdk.incubator.vector -cp "$jar" io.github.vectorcnn.bench.Environment \
  >"$envtmp" 2>/dev/null
major=$(sed -n 's/^java.version=\([0-9]*\).*/\1/p' "$envtmp")
tag="jdk${major}"
envfile="jmh/results/env-$tag.txt"
mv "$envtmp" "$envfile"
chmod 644 "$envfile"
cat "$envfile"

if grep -q '^vector.available=true' "$envfile"; then
  kernels="vector,scalar"
else
  kernels="scalar"
  echo "== vector kernels skipped: $(sed -n 's/^vector.reason=//p' "$envfile")"
fi

# A kernels list given after -- replaces this one: JMH runs every value of a parameter given
# twice, so -p kernels=vector would have run the vector trials twice and the scalar ones anyway.
# Likewise a -prof gc there stands for this one (JMH refuses a profiler given twice).
kernel_args=(-p "kernels=$kernels")
gc_args=(-prof gc)
previous=""
for arg in "${extra[@]+"${extra[@]}"}"; do
  [[ "$arg" == kernels=* ]] && kernel_args=()
  [[ "$previous" == -prof && "$arg" == gc ]] && gc_args=()
  previous="$arg"
done

jmh_args=("${kernel_args[@]+"${kernel_args[@]}"}" -p "threads=$threads" "${gc_args[@]+"${gc_args[@]}"}" -rf json
  -rff "jmh/results/jmh-$tag.json")
if [ "$quick" = 1 ]; then
  jmh_args+=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
fi
[ -n "$only" ] && jmh_args=("$only" "${jmh_args[@]}")
jmh_args+=("${extra[@]+"${extra[@]}"}")

if [ "$readme" = 1 ]; then
  # One JMH run per benchmark family, each with its own shapes (JMH's -p applies to every
  # benchmark that has the parameter), merged into one JSON for compare.py.
  conv_win="100x1x28x28:5x5:s1p0,8x64x56x56:3x3:s1p1"
  step_its="|-f|2|-wi|5|-w|2s|-i|3|-r|1s"
  [ "$quick" = 1 ] && step_its=""
  selections=(
    "SgemmBenchmark|-p|shape=NN:512x512x512,NN:1024x1024x1024,NN:2048x2048x2048,NN:30x576x25,NN:30x57600x25,NT:30x25x576,NT:30x25x57600,TN:25x576x30,TN:25x57600x30,NN:64x3136x576|-p|threads=1"
    "Im2colBenchmark|-p|shape=$conv_win|-p|threads=1"
    "Col2imBenchmark|-p|shape=$conv_win|-p|threads=1"
    "MemoryBaselineBenchmark|-p|like=im2col/100x1x28x28:5x5:s1p0,im2col/8x64x56x56:3x3:s1p1,col2im/100x1x28x28:5x5:s1p0,col2im/8x64x56x56:3x3:s1p1,maxPoolForward/100x30x24x24:2x2:s2p0,maxPoolForward/8x64x56x56:2x2:s2p0"
    "MaxPoolBenchmark|-p|shape=100x30x24x24:2x2:s2p0,8x64x56x56:2x2:s2p0|-p|threads=1"
    "ConvolutionBenchmark|-p|shape=100x1x28x28:30x5x5:s1p0,4x64x56x56:64x3x3:s1p1|-p|threads=1"
    "AffineBenchmark|-p|shape=100x4320x100,100x100x10|-p|threads=1"
    "SgemmBenchmark|-p|shape=NN:1024x1024x1024|-p|threads=2"
    # Its own warm-up: a step calls some kernels (edges, the small affine layer) only a few times,
    # and on a slower core C2 compiles them late. With 2 one-second warm-up iterations the first
    # measured ones still allocated 17-220 KB per step where the steady state takes 2.0-2.6 KB
    # (Zen 3, gc.alloc.rate.norm per iteration in the JSON), and ran slower.
    "TrainingStepBenchmark|-p|threads=1,2$step_its"
    # Its own iterations: five two-thread iterations per fork, each between two one-thread ones.
    "ThreadScalingBenchmark|-f|2|-wi|4|-i|11|-w|1s|-r|1s"
  )
  iterations=(-f 2 -wi 2 -i 3 -w 1s -r 1s)
  [ "$quick" = 1 ] && iterations=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
  : >"jmh/results/jmh-$tag.log"
  parts=()
  for i in "${!selections[@]}"; do
    IFS='|' read -r -a sel <<<"${selections[$i]}"
    part="jmh/results/part-$tag-$i.json"
    # A selection with its own iteration settings does without the common ones (JMH refuses an
    # option given twice).
    its=("${iterations[@]}")
    [[ " ${sel[*]} " == *" -i "* ]] && its=()
    args=("${sel[0]}" "${sel[@]:1}" "${kernel_args[@]+"${kernel_args[@]}"}" "${its[@]+"${its[@]}"}" "${gc_args[@]+"${gc_args[@]}"}" -rf json
      -rff "$part")
    echo "== JMH: $java_bin -jar $jar ${args[*]}"
    "$java_bin" -jar "$jar" "${args[@]}" 2>&1 | tee -a "jmh/results/jmh-$tag.log"
    parts+=("$part")
  done
  "${PYTHON:-/usr/bin/python3}" -c 'import json, sys
out = [r for f in sys.argv[2:] for r in json.load(open(f))]
json.dump(out, open(sys.argv[1], "w"), indent=1)' "jmh/results/jmh-$tag.json" "${parts[@]}"
  rm -f "${parts[@]}"
else
  echo "== JMH: $java_bin -jar $jar ${jmh_args[*]}"
  # The log keeps JMH's own table, the per-trial "kernels …, threads …" lines and any failed check.
  "$java_bin" -jar "$jar" "${jmh_args[@]}" 2>&1 | tee "jmh/results/jmh-$tag.log"
fi

echo "== one core's FP32 peak (jmh/peak.c)"
peak_args=()
if command -v cc >/dev/null && cc -O2 -o jmh/target/peak jmh/peak.c \
    && peak=$(jmh/target/peak 2>jmh/target/peak.txt); then
  echo "$peak GFLOP/s FP32 on one core: $(cat jmh/target/peak.txt)"
  peak_args=(--peak-gflops "$peak"
    --peak-source "measured by jmh/peak.c: $(sed 's/ (checksum.*//' jmh/target/peak.txt)")
else
  echo "peak not measured (no C compiler, or neither AVX-512 nor AVX2+FMA): % of peak left empty"
fi

echo "== side by side (NumPy/OpenBLAS, PyTorch)"
cmdline="bash jmh/run.sh"
[ "$quick" = 1 ] && cmdline+=" --quick"
[ "$readme" = 1 ] && cmdline+=" --readme"
[ "$threads" != 1 ] && cmdline+=" --threads $threads"
[ -n "$jdk" ] && cmdline+=" --jdk $jdk"
[ -n "$only" ] && cmdline+=" --only '$only'"
[ ${#extra[@]} -gt 0 ] && cmdline+=" -- ${extra[*]}"
compare_args=(--jmh "jmh/results/jmh-$tag.json" --env "$envfile" --out "jmh/results/table-$tag.md"
  --command "$cmdline")
[ "$quick" = 1 ] && compare_args+=(--quick)
if [ "$readme" = 1 ] && grep -q '^vector.available=true' "$envfile"; then
  # The squares and the convolution products once more, in one-second rounds alternated with
  # OpenBLAS (PairedSgemm in its own JVM): the JMH rows and compare.py's references are timed
  # minutes apart, and this machine's speed drifts by 2x within minutes.
  compare_args+=(--paired-jar "$jar" --paired-java "$java_bin" --paired-shapes
    "NN:512x512x512,NN:1024x1024x1024,NN:2048x2048x2048,NN:30x576x25,NT:30x25x576,TN:25x576x30,NN:30x57600x25,NT:30x25x57600,TN:25x57600x30")
fi
compare_args+=("${peak_args[@]+"${peak_args[@]}"}")
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this machine and make OpenBLAS pick an
# older kernel: unset here only, so the reference is the OpenBLAS a user gets by default.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
  "${PYTHON:-/usr/bin/python3}" jmh/compare.py "${compare_args[@]}"
cp "jmh/results/table-$tag.md" jmh/results/table.md
echo "== written: jmh/results/jmh-$tag.json, jmh/results/table-$tag.md, jmh/results/table.md"
# JMH exits 0 when a trial's check fails; the trial's row may still be in the JSON, from the
# iterations before the failure.
if grep -q '<failure>' "jmh/results/jmh-$tag.log"; then
  echo "== JMH reported failed iterations (their trials' rows are not to be trusted):" >&2
  grep -A2 '<failure>' "jmh/results/jmh-$tag.log" | grep -E 'Error|Exception' >&2
  exit 1
fi
