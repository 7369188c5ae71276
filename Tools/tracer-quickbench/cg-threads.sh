#!/bin/sh
# Instructions per span of each thread for one quickbench case under callgrind (--separate-threads): runs N1 and N2
# iterations and prints (Ir2-Ir1)/(N2-N1) per thread, thread 1 being the recording thread and 2 the writer. Separates
# the recording thread's cost from the writer's, which moves with scheduling under valgrind. Usage: cg-threads.sh CASE
# [N1 N2], after `swift build -c release --scratch-path .build`. QB_BIN names another executable of this package
# (llm-quickbench: see llm-cg.sh) and QB_UNIT what one iteration is (default: span).
set -eu
cd "$(dirname "$0")"
bin=${QB_BIN:-tracer-quickbench}
cp ".build/release/$bin" ".build/$bin.stripped" && strip --strip-debug ".build/$bin.stripped"
c=$1; n1=${2:-2000}; n2=${3:-12000}
for n in "$n1" "$n2"; do
  rm -f .build/cgt.$c.$n.out*
  QB_CASE=$c QB_N=$n valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file=.build/cgt.$c.$n.out \
    ".build/$bin.stripped" >/dev/null 2>&1
done
python3 - "$c" "$n1" "$n2" "${QB_UNIT:-span}" <<'PY'
import glob, re, sys
case, n1, n2, unit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def totals(n):
    out = {}
    for path in glob.glob(f".build/cgt.{case}.{n}.out-*"):
        thread = int(re.search(r"-(\d+)$", path).group(1))
        text = open(path).read()
        m = re.search(r"^summary:\s*(\d+)", text, re.M) or re.search(r"^totals:\s*(\d+)", text, re.M)
        out[thread] = int(m.group(1))
    return out
a, b = totals(n1), totals(n2)
print(f"{case}: " + ", ".join(
    f"thread {t}: {(b.get(t, 0) - a.get(t, 0)) / (n2 - n1):.0f} Ir/{unit}" for t in sorted(set(a) | set(b))))
PY
