#!/usr/bin/env bash
# The main job end to end on embedded defaults, with no server to set up:
#   1. tracespool-demo: one short-lived traced agent invocation that spools its spans and flushes them to disk;
#   2. tracespool-upload --once: drains the spool into the embedded local SQLite trace store;
#   3. tracespool-dump tree: shows the stored traces as trees with a duration waterfall.
# Installs missing system libraries first. Override the locations with SPOOL=... STORE=...; extra arguments go to
# tracespool-demo (e.g. --spans 20 --payload-bytes 2048).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
work="${TMPDIR:-/tmp}/tracespool-demo-$(id -u)"
spool="${SPOOL:-$work/spool}"
store="${STORE:-$work/traces.sqlite}"
mkdir -p "$work"
# The default store is recreated per run so the tree shows this run; a STORE of your own accumulates.
[ -n "${STORE:-}" ] || rm -f "$store" "$store-wal" "$store-shm"
swift build -c release --product tracespool-demo >&2
swift build -c release --product tracespool-upload >&2
swift build -c release --product tracespool-dump >&2
bin="$(swift build -c release --show-bin-path)"
"$bin/tracespool-demo" --spool "$spool" "$@"
"$bin/tracespool-upload" --once --sqlite "$store" "$spool"
"$bin/tracespool-dump" tree "$store"
echo "traces stored in $store (spool $spool: $(find "$spool" -name '*.seg' | wc -l) segment(s) left)" >&2
