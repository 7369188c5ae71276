#!/bin/sh
# Instructions per LLM exchange under callgrind, per thread (1 = the caller, 2 = the writer): cg-threads.sh on
# llm-quickbench. CASE is llm (a non-streamed exchange) or llmstream (a streamed one, 40 chunks). Usage: llm-cg.sh
# CASE [N1 N2] (default 100 600), after `swift build -c release --scratch-path .build`.
set -eu
cd "$(dirname "$0")"
QB_BIN=llm-quickbench QB_UNIT=exchange exec ./cg-threads.sh "$1" "${2:-100}" "${3:-600}"
