#!/bin/sh
# Mallocs per span for one quickbench case, all threads, counted by the LD_PRELOAD shim mcount.c (malloc, calloc and
# realloc; not posix_memalign/aligned_alloc): runs N1 and N2 iterations and prints (count2-count1)/(N2-N1), so setup
# and shutdown cancel out. Usage: mallocs.sh CASE [N1 N2], after `swift build -c release --scratch-path .build`.
# QB_TASK=1 in the environment runs the case inside a Swift task, as package-benchmark runs its benchmarks;
# QB_BIN=PATH counts another build, e.g. a debug one: `swift build --scratch-path .build-debug` and
# QB_BIN=.build-debug/debug/tracer-quickbench (unoptimized code allocates more: withSpan 8.03 in a task, 10.03 outside).
set -eu
cd "$(dirname "$0")"
mkdir -p .build && gcc -O2 -shared -fPIC -o .build/mcount.so mcount.c
c=$1; n1=${2:-20000}; n2=${3:-120000}
count() {
  QB_CASE=$c QB_N=$1 LD_PRELOAD="$PWD/.build/mcount.so" "${QB_BIN:-.build/release/tracer-quickbench}" | sed -n 's/^mallocs \([0-9]*\).*/\1/p'
}
a=$(count $n1); b=$(count $n2)
where=""; [ "${QB_TASK:-0}" = 1 ] && where=" (in a task)"
awk -v c="$c$where" -v a="$a" -v b="$b" -v n1="$n1" -v n2="$n2" \
  'BEGIN { printf "%s: %.2f mallocs/span (N=%d: %d, N=%d: %d)\n", c, (b - a) / (n2 - n1), n1, a, n2, b }'
