#!/usr/bin/env bash
# Runs the TraceSpool test suite on a fresh machine: installs missing system libraries, then `swift test`, then
# (when called without arguments) the reduced torture run of RELIABILITY.md on the debug executables, about
# 2–3 minutes on 2 cores, and the AWS Lambda end-to-end scenarios in the fake execution environment
# (Tools/lambda-e2e, about 1 minute), then again on the deployable artifacts: the release layer and function that
# Tools/lambda-layer.sh builds (about 7 minutes the first time). Arguments go to `swift test` and skip all of that
# (e.g. `--filter Suite`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
swift test "$@"
if [ $# -eq 0 ]; then
  swift build
  Tools/torture/run --size reduced --seconds 200 --bin "$(swift build --show-bin-path)"
  Tools/lambda-e2e/run --bin "$(swift build --show-bin-path)"
  layer=$(mktemp -d)
  Tools/lambda-layer.sh "$layer"
  Tools/lambda-e2e/run --layer "$layer" --only freezes,backend-down,shutdown-backlog,crash
  Tools/lambda-e2e/run --layer "$layer" --measure
  rm -rf "$layer"
fi
