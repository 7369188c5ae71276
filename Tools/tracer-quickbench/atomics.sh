#!/bin/sh
# Atomic read-modify-write instructions (lock-prefixed, xchg with memory) executed per span for one quickbench case,
# attributed to the function that executes them and its 3 callers: atomics.sh CASE [N]. On this project's
# machine one uncontended atomic costs about 14 ns, as much as ~30 ordinary instructions, so this count says more
# about the hot path than the instruction count alone. Build first: swift build -c release --scratch-path .build
set -eu
cd "$(dirname "$0")"
cp .build/release/tracer-quickbench .build/qb && strip --strip-debug .build/qb
c=$1; n=${2:-12000}
QB_CASE=$c QB_N=$n valgrind --tool=callgrind --dump-instr=yes --separate-callers=3 --compress-pos=no \
  --compress-strings=no --callgrind-out-file=.build/atomics.$c.out .build/qb >/dev/null 2>.build/atomics.$c.err
python3 atomics.py .build/atomics.$c.out "$n" | swift demangle --simplified | cut -c1-200 | head -30
