#!/usr/bin/env python3
"""A minimal Lambda extension for the fake Lambda's self-test (Tools/lambda-e2e/run --only selftest).

Registers under its file name for INVOKE and SHUTDOWN, subscribes to the Telemetry API (platform events) on a
listener at sandbox.localdomain, and after each INVOKE waits for that invocation's platform.runtimeDone (at most
STANDIN_EXT_WAIT_MS, default 500) before calling next again. STANDIN_EXT_MODE: "normal" | "no-register" (sleeps) |
"ignore-shutdown" (never exits after SHUTDOWN) | "init-error" (POST init/error, then exit) | "exit-error" (POST
exit/error on the first INVOKE, then exit).
Tries a second telemetry subscription after init (refused). Appends every event and every API answer it gets to
$TMPDIR/standin-<name>.jsonl.
"""
import http.server
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request

name = os.path.basename(sys.argv[0])
api = os.environ["AWS_LAMBDA_RUNTIME_API"]
mode = os.environ.get("STANDIN_EXT_MODE", "normal")
wait_ms = int(os.environ.get("STANDIN_EXT_WAIT_MS", "500"))
journal = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), "standin-%s.jsonl" % name), "a")
lock = threading.Condition()
done = set()


def note(kind, **kw):
    with lock:
        journal.write(json.dumps(dict(kind=kind, t=time.time(), pid=os.getpid(), **kw)) + "\n")
        journal.flush()


def call(method, path, body=None, headers=None):
    req = urllib.request.Request("http://%s%s" % (api, path), method=method, headers=headers or {},
                                 data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, dict(r.headers), json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read() or b"null")


class Listener(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        batch = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        note("telemetry", types=[e["type"] for e in batch])
        with lock:
            for e in batch:
                if e["type"] == "platform.runtimeDone":
                    done.add(e["record"]["requestId"])
            lock.notify_all()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


if mode == "no-register":
    time.sleep(600)
if mode == "ignore-shutdown":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
status, headers, body = call("POST", "/2020-01-01/extension/register", {"events": ["INVOKE", "SHUTDOWN"]},
                             {"Lambda-Extension-Name": name})
note("register", status=status, body=body)
ident = headers["Lambda-Extension-Identifier"]
auth = {"Lambda-Extension-Identifier": ident}
try:
    host = socket.gethostbyname("sandbox.localdomain")
except OSError:
    host = "127.0.0.1"
server = http.server.ThreadingHTTPServer((host, 0), Listener)
threading.Thread(target=server.serve_forever, daemon=True).start()
status, _, body = call("PUT", "/2022-07-01/telemetry", {
    "schemaVersion": "2022-12-13", "types": ["platform"],
    "destination": {"protocol": "HTTP", "URI": "http://sandbox.localdomain:%d" % server.server_address[1]},
    "buffering": {"maxItems": 1000, "maxBytes": 262144, "timeoutMs": 25}}, auth)
note("subscribe", status=status, body=body)
status, _, body = call("PUT", "/2022-07-01/telemetry", {"schemaVersion": "2022-12-13", "types": ["platform"],
    "destination": {"protocol": "HTTP", "URI": "http://sandbox.localdomain:1"}, "buffering": {"timeoutMs": 5}}, auth)
note("subscribe-out-of-range", status=status, body=body)
if mode == "init-error":
    status, _, body = call("POST", "/2020-01-01/extension/init/error", {}, dict(auth, **{
        "Lambda-Extension-Function-Error-Type": "Extension.StandIn"}))
    note("init-error", status=status, body=body)
    status, _, body = call("GET", "/2020-01-01/extension/event/next", None, auth)
    note("next-after-init-error", status=status, body=body)
    sys.exit(1)
any_invoke = False
while True:
    status, _, event = call("GET", "/2020-01-01/extension/event/next", None, auth)
    note("event", status=status, event=event)
    if status != 200:
        time.sleep(30)
        sys.exit(2)
    if event["eventType"] == "SHUTDOWN":
        if mode == "ignore-shutdown":
            while True:
                time.sleep(1)
        sys.exit(0)
    if not any_invoke:
        any_invoke = True
        status, _, body = call("PUT", "/2022-07-01/telemetry", {
            "schemaVersion": "2022-12-13", "types": ["platform"],
            "destination": {"protocol": "HTTP", "URI": "http://sandbox.localdomain:%d" % server.server_address[1]}},
            auth)
        note("subscribe-late", status=status, body=body)
    if mode == "exit-error":
        status, _, body = call("POST", "/2020-01-01/extension/exit/error", {}, dict(auth, **{
            "Lambda-Extension-Function-Error-Type": "Extension.StandIn"}))
        note("exit-error", status=status, body=body)
        status, _, body = call("GET", "/2020-01-01/extension/event/next", None, auth)
        note("next-after-exit-error", status=status, body=body)
        sys.exit(1)
    with lock:
        lock.wait_for(lambda: event["requestId"] in done, timeout=wait_ms / 1000.0)
        note("runtimeDone-seen", requestId=event["requestId"], seen=event["requestId"] in done)
