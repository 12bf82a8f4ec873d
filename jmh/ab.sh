#!/usr/bin/env bash
# Two builds of the library's vector sgemm alternated in one JVM (AlternatedBuilds), in both load
# orders: how a kernel change is timed on a machine whose speed drifts (see docs/speed).
#
#   bash jmh/ab.sh [--jdk DIR] [--rounds N] [--threads T] OLD [NEW] -- SHAPE...
#
#   OLD, NEW   commits (anything git rev-parse takes); NEW defaults to the working tree
#   SHAPE      as in the suite, e.g. NN:1024x1024x1024 TN:25x576x30
#   --rounds   paired rounds per shape and order (default 15)
#   --threads  the library's threads (default 1)
#
# Each build is src/main/java of its commit compiled with the chosen JDK's javac (the cli
# package, which needs picocli, left out). Prints each order's lines and, per shape, the
# geometric mean of the two orders' median ratios: old time / new time, > 1 when NEW is faster.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

jdk="" rounds=15 threads=1 refs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk|--rounds|--threads)
      [ $# -ge 2 ] || { echo "ab.sh: $1 expects a value (try --help)" >&2; exit 2; } ;;
  esac
  case "$1" in
    --jdk) jdk="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "ab.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    *) refs+=("$1") ;;
  esac
  shift
done
shapes=("$@")
if [ ${#refs[@]} -lt 1 ] || [ ${#refs[@]} -gt 2 ] || [ ${#shapes[@]} -eq 0 ]; then
  echo "ab.sh: expected OLD [NEW] -- SHAPE..., got refs '${refs[*]-}' and shapes '${shapes[*]-}' (try --help)" >&2
  exit 2
fi
# The rounds and the shapes are checked by AlternatedBuilds (with Spec), before it times anything.
[[ "$threads" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "ab.sh: --threads expected an integer >= 1, got '$threads'" >&2; exit 2; }
bin=""
if [ -n "$jdk" ]; then
  bin="$jdk/bin/"
  [ -x "${bin}java" ] && [ -x "${bin}javac" ] \
    || { echo "ab.sh: --jdk $jdk: expected bin/java and bin/javac there" >&2; exit 2; }
else
  command -v java >/dev/null && command -v javac >/dev/null \
    || { echo "ab.sh: no java and javac on the PATH (or give --jdk DIR)" >&2; exit 2; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# build NAME REF: the classes of REF's src/main/java (REF "" = the working tree) in $work/NAME.
build() {
  local name=$1 ref=$2 src
  if [ -z "$ref" ]; then
    src="$root/src/main/java"
  else
    local commit
    commit=$(git -C "$root" rev-parse --verify --quiet "$ref^{commit}") \
      || { echo "ab.sh: $name: '$ref' is not a commit of $root" >&2; exit 2; }
    mkdir -p "$work/$name-src"
    git -C "$root" archive "$commit" src/main/java | tar -x -C "$work/$name-src"
    src="$work/$name-src/src/main/java"
  fi
  mkdir -p "$work/$name"
  find "$src" -name '*.java' -not -path '*/cli/*' >"$work/$name.files"
  "${bin}javac" --add-modules jdk.incubator.vector -nowarn -d "$work/$name" @"$work/$name.files" 2>&1 \
    | { grep -v -e '^Note:' -e 'incubator modules' || true; }
  echo "== $name: ${ref:-working tree} ($(wc -l <"$work/$name.files") sources)"
}
build old "${refs[0]}"
build new "${refs[1]-}"
# The harness and Spec (its shape parser), compiled against the new build, which is also on its
# class path for Spec; the two timed builds are loaded apart from it (see AlternatedBuilds).
mkdir -p "$work/harness"
bench="$root/jmh/src/main/java/io/github/vectorcnn/bench"
"${bin}javac" -nowarn -cp "$work/new" -d "$work/harness" "$bench/AlternatedBuilds.java" "$bench/Spec.java"

run() {
  "${bin}java" --add-modules jdk.incubator.vector -Xms3g -Xmx3g -Dvectorcnn.threads="$threads" \
    -cp "$work/harness:$work/new" io.github.vectorcnn.bench.AlternatedBuilds "$@" 2>&1 | grep --line-buffered -v 'incubator modules'
}
echo "== order 1: old loaded first"
run "$work/old" "$work/new" "$rounds" "${shapes[@]}" | tee "$work/order1"
echo "== order 2: new loaded first (its lines read new/old, inverted below)"
run "$work/new" "$work/old" "$rounds" "${shapes[@]}" | tee "$work/order2"
echo "== old time / new time, geometric mean of the two orders (> 1: new is faster)"
for shape in "${shapes[@]}"; do
  r1=$(sed -n "s|^$shape: .*old/new \([0-9.]*\) .*|\1|p" "$work/order1" | head -n 1)
  r2=$(sed -n "s|^$shape: .*old/new \([0-9.]*\) .*|\1|p" "$work/order2" | head -n 1)
  if [ -z "$r1" ] || [ -z "$r2" ]; then
    echo "ab.sh: $shape: no ratio found in the harness's output above" >&2
    exit 1
  fi
  awk -v s="$shape" -v a="$r1" -v b="$r2" \
    'BEGIN { printf "%s: %.3f (old first %.3f, new first %.3f)\n", s, sqrt(a / b), a, 1 / b }'
done
