#!/usr/bin/env bash
# End-to-end check of tracespool-upload against a real OTLP backend: Arize Phoenix on 127.0.0.1.
#
#   Tools/phoenix-e2e.sh            # needs python3 (PyPI reachable the first time) and swift
#
# 1. installs arize-phoenix into a venv under /tmp when missing (PHOENIX_VENV overrides the location);
# 2. starts Phoenix bound to 127.0.0.1 only (HTTP via PHOENIX_HOST; Phoenix's OTLP gRPC listener binds [::] whatever
#    PHOENIX_HOST says and cannot be switched off outside read-only mode, so a launcher rewrites its bind address to
#    127.0.0.1), with its database in a temporary working directory;
# 3. writes a spool with `tracespool-demo --spool DIR --spans $E2E_SPANS` (default 20; DEMO_CMD overrides the whole
#    command, with $SPOOL in the environment), and records the expected spans by draining a copy into SQLite;
#    Then (unless E2E_LLM=0) runs `tracespool-llm-demo` twice (openai streamed, anthropic) against `fake-llm-provider`
#    into the same spool, so Phoenix gets the agent's generation spans with tool definitions and tool calls;
# 4. runs `tracespool-upload --once --endpoint http://127.0.0.1:PORT DIR`;
# 5. polls Phoenix's REST API /v1/projects/{name}/spans until the spans arrived (Phoenix ingests asynchronously) and
#    checks count, span ids, parent/child hierarchy and the LLM attributes (model name, token counts), and, with the
#    LLM demo, that Phoenix returns spans with tool definitions (llm.tools.N.tool.json_schema) and tool calls
#    (llm.output_messages.N.message.tool_calls.M.tool_call.function.name).
# Exits 0 when everything matches, non-zero otherwise. Keep E2E_SPANS small: Phoenix ingests ~150 spans/s.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${PHOENIX_VENV:-/tmp/tracespool-phoenix-venv}
SPANS=${E2E_SPANS:-20}
PROJECT=${PHOENIX_PROJECT:-}
WORK=$(mktemp -d /tmp/tracespool-e2e.XXXXXX)
PHOENIX_PID=""
cleanup() {
    if [ -n "$PHOENIX_PID" ]; then kill "$PHOENIX_PID" 2>/dev/null || true; wait "$PHOENIX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "phoenix-e2e: $*" >&2; }

if [ ! -x "$VENV/bin/phoenix" ]; then
    log "installing arize-phoenix into $VENV (takes a few minutes)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q arize-phoenix
fi
PY="$VENV/bin/python"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP_PORT=$(free_port)
GRPC_PORT=$(free_port)
export PHOENIX_HOST=127.0.0.1 PHOENIX_PORT=$HTTP_PORT PHOENIX_GRPC_PORT=$GRPC_PORT
export PHOENIX_WORKING_DIR="$WORK/phoenix" PHOENIX_TELEMETRY_ENABLED=false DO_NOT_TRACK=1
mkdir -p "$PHOENIX_WORKING_DIR"

cat > "$WORK/launch_phoenix.py" <<'PYEOF'
# Starts `phoenix serve` with every gRPC listener forced onto 127.0.0.1.
import sys
import grpc.aio._server as aio_server

_insecure = aio_server.Server.add_insecure_port
_secure = aio_server.Server.add_secure_port

def _loopback(address):
    port = address.rsplit(":", 1)[1]
    return "127.0.0.1:" + port

aio_server.Server.add_insecure_port = lambda self, address: _insecure(self, _loopback(address))
aio_server.Server.add_secure_port = lambda self, address, creds: _secure(self, _loopback(address), creds)

from phoenix.server.main import main
sys.argv = ["phoenix", "serve"]
sys.exit(main())
PYEOF

log "starting Phoenix on 127.0.0.1:$HTTP_PORT (gRPC 127.0.0.1:$GRPC_PORT)"
"$PY" "$WORK/launch_phoenix.py" > "$WORK/phoenix.log" 2>&1 &
PHOENIX_PID=$!
for _ in $(seq 1 240); do
    if "$PY" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$HTTP_PORT/healthz', timeout=2)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$PHOENIX_PID" 2>/dev/null; then log "Phoenix exited"; tail -30 "$WORK/phoenix.log" >&2; exit 1; fi
    sleep 0.5
done
if command -v ss >/dev/null; then
    if ss -ltnH | awk '{print $4}' | grep -E "^(\*|0\.0\.0\.0|\[::\]):($HTTP_PORT|$GRPC_PORT)$" >/dev/null; then
        log "Phoenix listens on a non-loopback address"; ss -ltn >&2; exit 1
    fi
fi

log "building"
swift build --product tracespool-upload >&2
BIN=$(swift build --show-bin-path)
SPOOL="$WORK/spool"
export SPOOL
if [ -n "${DEMO_CMD:-}" ]; then
    bash -c "$DEMO_CMD"
else
    swift build --product tracespool-demo >&2
    "$BIN/tracespool-demo" --spool "$SPOOL" --spans "$SPANS"
fi

if [ "${E2E_LLM:-1}" != 0 ]; then
    log "running tracespool-llm-demo against fake-llm-provider"
    swift build --product fake-llm-provider >&2
    swift build --product tracespool-llm-demo >&2
    "$BIN/fake-llm-provider" > "$WORK/fake.out" 2>&1 &
    FAKE_PID=$!
    for _ in $(seq 1 100); do grep -q "listening on" "$WORK/fake.out" 2>/dev/null && break; sleep 0.1; done
    FAKE_URL=$(sed -n 's/.*listening on //p' "$WORK/fake.out")
    "$BIN/tracespool-llm-demo" --provider openai --stream --base-url "$FAKE_URL/v1" --spool "$SPOOL"
    "$BIN/tracespool-llm-demo" --provider anthropic --base-url "$FAKE_URL/v1" --spool "$SPOOL"
    kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null || true
fi

# The expected spans: drain a copy of the spool into SQLite.
cp -r "$SPOOL" "$WORK/spool-copy"
"$BIN/tracespool-upload" --once --no-progress --sqlite "$WORK/expected.sqlite" "$WORK/spool-copy"

log "uploading to Phoenix"
"$BIN/tracespool-upload" --once --no-progress --endpoint "http://127.0.0.1:$HTTP_PORT" "$SPOOL"

"$PY" - "$WORK/expected.sqlite" "http://127.0.0.1:$HTTP_PORT" "$PROJECT" "${E2E_LLM:-1}" <<'PYEOF'
import json, sqlite3, sys, time, urllib.error, urllib.parse, urllib.request

db, base, project, llm_demo = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] != "0"
rows = sqlite3.connect(db).execute(
    "SELECT trace_id, span_id, parent_span_id, name, attributes_json, resource_json FROM spans").fetchall()
expected = {r[1]: {"trace": r[0], "parent": r[2], "name": r[3], "attrs": json.loads(r[4])} for r in rows}
if not expected:
    sys.exit("phoenix-e2e: the spool held no spans")
if not project:
    resource = json.loads(rows[0][5])
    project = resource.get("openinference.project.name") or "default"

def flatten(d, prefix=""):
    out = {}
    for k, v in (d or {}).items():
        key = prefix + k
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        elif isinstance(v, list) and any(isinstance(x, dict) for x in v):
            for i, x in enumerate(v):
                out.update(flatten(x, f"{key}.{i}.") if isinstance(x, dict) else {f"{key}.{i}": x})
        else:
            out[key] = v
    return out

def fetch():
    spans, cursor = [], None
    while True:
        q = {"limit": "1000"}
        if cursor:
            q["cursor"] = cursor
        url = f"{base}/v1/projects/{urllib.parse.quote(project)}/spans?" + urllib.parse.urlencode(q)
        try:
            body = json.load(urllib.request.urlopen(url, timeout=10))
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return []
            raise
        spans += body.get("data", [])
        cursor = body.get("next_cursor")
        if not cursor:
            return spans

deadline = time.time() + 180
got = []
while time.time() < deadline:
    got = fetch()
    if len(got) >= len(expected):
        break
    time.sleep(1)

problems = []
by_id = {s["context"]["span_id"]: s for s in got}
if len(got) != len(expected):
    problems.append(f"count: Phoenix has {len(got)} spans, the spool had {len(expected)}")
missing = set(expected) - set(by_id)
if missing:
    problems.append(f"{len(missing)} spans missing, e.g. {sorted(missing)[:3]}")
llm_checked = 0
for sid, e in expected.items():
    s = by_id.get(sid)
    if s is None:
        continue
    if s["context"]["trace_id"] != e["trace"]:
        problems.append(f"{sid}: trace id {s['context']['trace_id']} != {e['trace']}")
    if (s.get("parent_id") or None) != e["parent"]:
        problems.append(f"{sid}: parent {s.get('parent_id')} != {e['parent']}")
    if s["name"] != e["name"]:
        problems.append(f"{sid}: name {s['name']!r} != {e['name']!r}")
    attrs = flatten(s.get("attributes"))
    for key in ("llm.model_name", "llm.token_count.prompt", "llm.token_count.completion"):
        if key in e["attrs"]:
            llm_checked += 1
            if str(attrs.get(key)) != str(e["attrs"][key]):
                problems.append(f"{sid}: {key} = {attrs.get(key)!r}, expected {e['attrs'][key]!r}")
    # Phoenix moves openinference.span.kind into the span's span_kind field.
    kind = e["attrs"].get("openinference.span.kind")
    if kind is not None and str(s.get("span_kind", attrs.get("openinference.span.kind"))).upper() != str(kind).upper():
        problems.append(f"{sid}: span_kind = {s.get('span_kind')!r}, expected {kind!r}")
if llm_demo:
    keys = [k for s in got for k in flatten(s.get("attributes"))]
    if not any(k.startswith("llm.tools.") and k.endswith("tool.json_schema") for k in keys):
        problems.append("no span with tool definitions (llm.tools.N.tool.json_schema) in Phoenix")
    if not any(".tool_calls." in k and k.endswith("tool_call.function.name") for k in keys):
        problems.append("no span with tool calls (llm.*_messages.N.message.tool_calls.M.tool_call.function.name)")
roots = [sid for sid, e in expected.items() if e["parent"] is None]
if not roots:
    problems.append("no root span in the spool")
if llm_checked == 0:
    problems.append("no LLM attributes (llm.model_name / llm.token_count.*) found to check")
if problems:
    print("phoenix-e2e: FAILED", file=sys.stderr)
    for p in problems[:30]:
        print("  " + p, file=sys.stderr)
    sys.exit(1)
print(f"phoenix-e2e: OK: {len(got)} spans in project {project!r}, {len(roots)} root(s), "
      f"{llm_checked} LLM attribute values checked", file=sys.stderr)
PYEOF
