#!/usr/bin/env python3
"""A minimal custom runtime for the fake Lambda's self-test (Tools/lambda-e2e/run --only selftest).

Runtime API loop: next -> handle -> response. The event (JSON) says what to do: "then": "respond" (default) |
"error" (POST /error) | "hang" (never answer) | "crash" (abort); "workMs": sleep first; "chunked": true sends the
response with Transfer-Encoding: chunked; "spawnChild": true starts a `sleep` child (to check that children are frozen
too). STANDIN_INIT_ERROR=1 posts /runtime/init/error instead of starting; STANDIN_IGNORE_SIGTERM=1 ignores SIGTERM.
Writes its pid (and its child's) to $TMPDIR/standin-runtime.pids.
"""
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

api = os.environ.get("AWS_LAMBDA_RUNTIME_API")
if not api:
    sys.stderr.write("AWS_LAMBDA_RUNTIME_API is not set\n")
    sys.exit(64)
base = "http://%s/2018-06-01/runtime" % api
tmp = os.environ.get("TMPDIR", "/tmp")
with open(os.path.join(tmp, "standin-runtime.pids"), "a") as f:
    f.write("runtime %d\n" % os.getpid())
if os.environ.get("STANDIN_IGNORE_SIGTERM") == "1":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def post(path, body, headers=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST", headers=headers or {})
    with urllib.request.urlopen(req) as r:
        return r.status


if os.environ.get("STANDIN_INIT_ERROR") == "1":
    post("/init/error", {"errorMessage": "stand-in init failure", "errorType": "Runtime.StandIn"},
         {"Lambda-Runtime-Function-Error-Type": "Runtime.StandIn"})
    time.sleep(30)
    sys.exit(1)

while True:
    with urllib.request.urlopen(base + "/invocation/next") as r:
        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
        headers = {k: v for k, v in r.headers.items() if k.lower().startswith("lambda-runtime-")}
        event = json.loads(r.read())
    if event.get("spawnChild"):
        child = subprocess.Popen(["sleep", "600"])
        with open(os.path.join(tmp, "standin-runtime.pids"), "a") as f:
            f.write("child %d\n" % child.pid)
    time.sleep(event.get("workMs", 0) / 1000.0)
    then = event.get("then", "respond")
    if then == "hang":
        time.sleep(3600)
    if then == "crash":
        os.abort()
    if then == "error":
        post("/invocation/%s/error" % rid, {"errorMessage": "stand-in", "errorType": "StandIn"},
             {"Lambda-Runtime-Function-Error-Type": "Function.StandIn"})
        continue
    if event.get("chunked"):  # the response body with Transfer-Encoding: chunked
        host, port = api.rsplit(":", 1)
        c = http.client.HTTPConnection(host, int(port))
        c.putrequest("POST", "/2018-06-01/runtime/invocation/%s/response" % rid)
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        body = json.dumps({"requestId": rid, "headers": headers, "chunked": True}).encode()
        c.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        c.getresponse().read()
        c.close()
        continue
    post("/invocation/%s/response" % rid, {"requestId": rid, "headers": headers})
