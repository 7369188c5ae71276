#!/usr/bin/env bash
# Uploader memory and throughput on a large spool (targets: RSS < 64 MiB while draining 2 GB; ≥ 300,000 spans/s):
# builds a spool of SIZE bytes (default 2 GB) of typical spans, then runs `tracespool-upload --once` in release mode
# against an accept-and-discard OTLP/HTTP server on 127.0.0.1 and prints its max RSS, wall time and spans/s.
#   bash Benchmarks/upload-rss.sh [SIZE_BYTES]
set -euo pipefail
cd "$(dirname "$0")"
size="${1:-2000000000}"
work="${TMPDIR:-/tmp}/tracespool-upload-rss-$$"
mkdir -p "$work"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
swift build -c release --product make-bench-spool >&2
(cd .. && swift build -c release --product tracespool-upload >&2)
"$(swift build -c release --show-bin-path)/make-bench-spool" "$work/spool" "$size" | tee "$work/made.txt"
spans=$(awk '{print $1}' "$work/made.txt")
port=$((20000 + RANDOM % 20000))
python3 ../Tools/otlp-discard-server.py "$port" >/dev/null 2>&1 &
server=$!
sleep 1
upload="$(cd .. && swift build -c release --show-bin-path)/tracespool-upload"
/usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" \
  "$upload" --once --no-progress --endpoint "http://127.0.0.1:$port" "$work/spool"
read -r wall rss_kb user sys < "$work/time.txt"
python3 - "$spans" "$wall" "$rss_kb" "$user" "$sys" <<'PY'
import sys
spans, wall, rss, user, sys_ = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
print(f"drained {spans} spans in {wall:.1f} s: {spans / wall:,.0f} spans/s, "
      f"{(user + sys_) / spans * 1e6:.2f} CPU s per million spans (uploader only), max RSS {rss / 1024:.1f} MiB")
PY
