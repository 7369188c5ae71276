#!/usr/bin/env bash
# Runs the TraceSpool test suite on a fresh machine: installs missing system libraries, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
exec swift test "$@"
