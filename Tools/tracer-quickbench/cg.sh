#!/bin/sh
# Instructions per span for one quickbench case under callgrind: runs N1 and N2 iterations, prints (Ir2-Ir1)/(N2-N1)
# (all threads, the writer's LZ4 + pwrite included). Usage: cg.sh CASE [N1 N2], after
# `swift build -c release --scratch-path .build`. Valgrind cannot read the Swift DWARF, so it runs a copy stripped
# of debug info (symbols stay, for callgrind_annotate).
set -eu
cd "$(dirname "$0")"
cp .build/release/tracer-quickbench .build/qb && strip --strip-debug .build/qb
c=$1; n1=${2:-2000}; n2=${3:-12000}
ir() {
  QB_CASE=$c QB_N=$1 valgrind --tool=callgrind --callgrind-out-file=.build/cg.$c.$1.out .build/qb >/dev/null 2>.build/cg.$c.$1.err
  grep -o 'Collected : [0-9]*' .build/cg.$c.$1.err | grep -o '[0-9]*'
}
a=$(ir $n1); b=$(ir $n2)
echo "$c: $(( (b - a) / (n2 - n1) )) Ir/span (N=$n1: $a, N=$n2: $b)"
