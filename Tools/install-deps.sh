#!/usr/bin/env bash
# Installs what building and testing TraceSpool needs on Debian/Ubuntu, only when it is missing.
# Safe to run repeatedly. Needs root (or sudo) only when something must be installed.
set -euo pipefail

need_apt=()
pkg-config --exists liblz4 2>/dev/null || need_apt+=(liblz4-dev)
pkg-config --exists zlib 2>/dev/null || need_apt+=(zlib1g-dev)
pkg-config --exists sqlite3 2>/dev/null || need_apt+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "install-deps: installing ${need_apt[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The independent OTLP decoder some tests use to check what TraceSpool encodes.
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import opentelemetry.proto" 2>/dev/null; then
  echo "install-deps: pip installing opentelemetry-proto" >&2
  python3 -m pip install -q opentelemetry-proto protobuf >/dev/null 2>&1 \
    || python3 -m pip install -q --break-system-packages opentelemetry-proto protobuf >/dev/null
fi

# Test tooling of Tools/torture: crc32c makes the independent spool reader fast (optional: it falls back to Python).
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import crc32c" 2>/dev/null; then
  echo "install-deps: pip installing crc32c" >&2
  python3 -m pip install -q crc32c >/dev/null 2>&1 \
    || python3 -m pip install -q --break-system-packages crc32c >/dev/null 2>&1 || true
fi

# The Lambda end-to-end tests (Tools/lambda-e2e): the extension's Telemetry API listener is named
# `sandbox.localdomain`, as on AWS. Where the name does not resolve, Tools/fake-lambda.py maps it to 127.0.0.1 itself;
# as root, add it to /etc/hosts instead so CI exercises the case "the name resolves to loopback" through the system
# resolver.
if [ "$(id -u)" -eq 0 ] && ! getent hosts sandbox.localdomain >/dev/null 2>&1 && [ -w /etc/hosts ]; then
  echo "install-deps: adding 127.0.0.1 sandbox.localdomain to /etc/hosts" >&2
  echo "127.0.0.1 sandbox.localdomain" >>/etc/hosts
fi
