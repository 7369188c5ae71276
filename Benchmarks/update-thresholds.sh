#!/bin/sh
# Rewrites the checked-in thresholds in Thresholds/ from a fresh run: the p90 of the metrics that are stable on a
# shared machine (malloc counts per sample, disk bytes per span), nothing measured by the clock.
#   sh update-thresholds.sh        then review `git diff Thresholds`
# Checked with: swift package benchmark thresholds check --target TracerBenchmarks
# package-benchmark 1.38.1 writes threshold files with spaces and slashes in the benchmark name replaced by '_' but
# reads them by the benchmark's own name, so this script writes them under the name `thresholds check` reads.
set -eu
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swift package --allow-writing-to-directory "$out" benchmark thresholds update --target TracerBenchmarks \
  --filter '.*SpoolTracer.*|withSpan \+ 5 attributes: NoOpTracer.*|disk bytes per span.*' --skip '.*interleaved.*' \
  --path "$out" --no-progress
mkdir -p Thresholds
python3 - "$out" <<'PY'
import json, os, sys
stable = ["mallocCountTotal", "bytes per span × 100"]
names = {}
for line in os.popen("swift package benchmark list --target TracerBenchmarks 2>/dev/null"):
    line = line.strip()
    names[line.replace("/", "_").replace(" ", "_")] = line
for f in sorted(os.listdir(sys.argv[1])):
    target, rest = f.split(".", 1)
    cleaned = rest[: -len(".p90.json")]
    values = json.load(open(os.path.join(sys.argv[1], f)))
    kept = {k: v for k, v in values.items() if k in stable}
    if not kept or cleaned not in names:
        continue
    path = os.path.join("Thresholds", f"{target}.{names[cleaned]}.p90.json")
    with open(path, "w") as out:
        json.dump(kept, out, indent=2, sort_keys=True, ensure_ascii=False)
        out.write("\n")
    print("wrote", path, kept)
PY
