#!/usr/bin/env bash
# The main job end to end on embedded defaults, with no server to set up:
#   1. tracespool-demo: one short-lived traced agent invocation that spools its spans and flushes them to disk;
#   2. tracespool-upload --once: drains the spool into the embedded local SQLite trace store;
#   3. tracespool-dump tree: shows what the demo recorded, as trace trees with a duration waterfall.
# Installs missing system libraries first. Override the locations with SPOOL=... STORE=...
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
work="${TMPDIR:-/tmp}/tracespool-demo-$(id -u)"
spool="${SPOOL:-$work/spool}"
store="${STORE:-$work/traces.sqlite}"
mkdir -p "$work"
swift build -c release --product tracespool-demo >&2
swift build -c release --product tracespool-upload >&2
swift build -c release --product tracespool-dump >&2
bin="$(swift build -c release --show-bin-path)"
"$bin/tracespool-demo" --spool "$spool" "$@"
"$bin/tracespool-dump" tree "$spool"
"$bin/tracespool-upload" --once --sqlite "$store" "$spool"
echo "uploaded into $store; spool now: $(ls "$spool" | grep -c '\.seg$' || true) sealed segment(s) left" >&2
