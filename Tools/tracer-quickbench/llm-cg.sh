#!/bin/sh
# Instructions per LLM exchange under callgrind, per thread (1 = the caller, 2 = the writer): runs N1 and N2
# exchanges of QB_CASE (llm: non-streamed; llmstream: streamed, 40 chunks) and prints (Ir2-Ir1)/(N2-N1). Usage:
# llm-cg.sh CASE [N1 N2], after `swift build -c release --scratch-path .build`.
set -eu
cd "$(dirname "$0")"
cp .build/release/llm-quickbench .build/llmqb && strip --strip-debug .build/llmqb
c=$1; n1=${2:-100}; n2=${3:-600}
for n in "$n1" "$n2"; do
  rm -f .build/cgt.$c.$n.out*
  QB_CASE=$c QB_N=$n valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file=.build/cgt.$c.$n.out \
    .build/llmqb >/dev/null 2>&1
done
python3 - "$c" "$n1" "$n2" <<'PY'
import glob, re, sys
case, n1, n2 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def totals(n):
    out = {}
    for path in glob.glob(f".build/cgt.{case}.{n}.out-*"):
        thread = int(re.search(r"-(\d+)$", path).group(1))
        m = re.search(r"^(?:summary|totals):\s*(\d+)", open(path).read(), re.M)
        out[thread] = int(m.group(1))
    return out
a, b = totals(n1), totals(n2)
print(f"{case}: " + ", ".join(
    f"thread {t}: {(b.get(t, 0) - a.get(t, 0)) / (n2 - n1):.0f} Ir/exchange" for t in sorted(set(a) | set(b))))
PY
