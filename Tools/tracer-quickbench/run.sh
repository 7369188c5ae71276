#!/bin/sh
# Builds the quick benchmark in release mode and runs it with a malloc-counting LD_PRELOAD shim (Linux, gcc).
set -eu
cd "$(dirname "$0")"
mkdir -p .build && gcc -O2 -shared -fPIC -o .build/mcount.so mcount.c
swift build -c release --scratch-path .build
LD_PRELOAD="$PWD/.build/mcount.so" .build/release/tracer-quickbench
