#!/usr/bin/env python3
"""fake-lambda.py: a local AWS Lambda execution environment for tests (Python 3.11 standard library only).

It runs one function (the `--bootstrap` executable, a custom runtime) and every executable file of `--extensions`
(started with no arguments, as Lambda starts the files of /opt/extensions) with the Lambda environment variables,
serves the Runtime API, the Extensions API and the Telemetry API on 127.0.0.1, feeds the function one invocation per
event, and freezes every process of the execution environment with SIGSTOP between invocations (SIGCONT thaws them).
No Docker, no AWS.

    python3 Tools/fake-lambda.py --bootstrap PATH [--extensions DIR] (--events FILE.jsonl | --event JSON --count N)
        [--timeout-ms 3000] [--memory-mb 128] [--function-name NAME] [--gap-ms 0] [--env K=V]... [--tmp DIR]
        [--hook-url URL] [--kill-extension-at SPEC]... [--log-dir DIR] --report FILE

Sources. Each platform behaviour is implemented where a comment names its source:
  [EXT]  Lambda Extensions API, https://docs.aws.amazon.com/lambda/latest/dg/runtimes-extensions-api.html
  [LIFE] Lambda execution environment lifecycle,
         https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
  [RAPI] Lambda Runtime API, https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
  [TEL]  Lambda Telemetry API, https://docs.aws.amazon.com/lambda/latest/dg/telemetry-api.html
  [TREF] Telemetry API reference, https://docs.aws.amazon.com/lambda/latest/dg/telemetry-api-reference.html
  [TSCH] Telemetry API Events schema reference,
         https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html
  [GS]   aws-samples/graceful-shutdown-with-aws-lambda, README (SIGTERM, 300 ms of the 2,000 ms shutdown limit)
  [RIE]  github.com/aws/aws-lambda-runtime-interface-emulator (commit 4fa2157), files named in the comments, read
         and re-implemented, not copied.

Life of one execution environment (one "environment" of the report):
  init     the extensions and the runtime are started together; init ends when every extension has registered and
           called event/next and the runtime has called invocation/next [LIFE]. 10 s limit [LIFE]. The runtime's
           init/error fails init at once [RIE rapi/handler/initerror.go]; an extension's init/error is answered 202
           and stored, and init fails when that extension exits ([EXT]: it should, after the answer) or at the
           limit; any process exit fails it (Runtime.ExitError, Extension.Crash). A failed init fails the first
           event's invocation with its error type, the environment is shut down (reason failure) and the next event
           starts a new one.
  invoke   the runtime gets the event; extensions registered for INVOKE get the INVOKE event. The invocation ends
           when the runtime has responded (and called next again) and every INVOKE extension has called next again
           [LIFE]; then every process of the environment is frozen (SIGSTOP to each process group and to every
           descendant) until the next event, `--gap-ms` later, thaws it (SIGCONT).
  reset    function timeout (`--timeout-ms`, "Task timed out"), runtime exit during an invocation, extension exit
           (Extension.Crash, or Extension.ExitError when it called exit/error first; an extension that calls
           exit/error and stays never calls next again, so the invocation runs into the timeout): the invocation
           fails (or, when the response was already sent, it keeps its response and the environment is still
           reset) and the environment is shut down with reason timeout|failure [RIE rapid/handlers.go handleReset,
           watchEvents]; the next event starts a new environment (new processes, same `--tmp`).
  shutdown after the last event, reason spindown. With at least one extension registered: SIGTERM to the runtime
           and up to 300 ms [GS], SIGKILL after; then the SHUTDOWN event {shutdownReason, deadlineMs} to the
           extensions registered for it, the rest of the 2,000 ms budget [GS][EXT]; extensions not registered for
           SHUTDOWN are SIGKILLed at once [RIE rapid/shutdown.go shutdownAgents]; whatever is left at the deadline is
           SIGKILLed. Without extensions the runtime is SIGKILLed at once [RIE rapid/shutdown.go shutdown].
  Process exit codes and signals are read with waitpid; stdout and stderr of every process go to
  `--log-dir`/env<N>-<name>.log (the CloudWatch stand-in).

Telemetry API destination: the URI host must be `sandbox.localdomain` (or `sandbox`) [RIE lambda-managed-instances
telemetry/internal/client.go newHTTPClient]. The fake resolves it with the system resolver and, when the name does not
resolve (any machine without the /etc/hosts line Tools/install-deps.sh adds), maps it to 127.0.0.1 as the RIE does;
the report's `telemetryHost` says which.

Control hooks (for Tools/lambda-e2e):
  --hook-url URL        the fake GETs URL?phase=P&index=I&env=E&pids=name:pid,... and waits for the answer (30 s max)
                        at these phases: env-started (processes exec'd), before-invoke (environment still frozen),
                        after-response (the runtime's response has arrived), after-invoke (environment frozen,
                        before the gap), before-shutdown (after the last event, still frozen), done.
  --kill-extension-at I:NAME:EVENT:MS   SIGKILL extension NAME (its process group) MS ms after EVENT (invoke|response)
                        of invocation I (0-based). Repeatable.

Report (`--report FILE`, JSON). Times are milliseconds (3 decimals) on one monotonic clock whose zero is the fake's
start; `deadlineMs` values are Unix epoch milliseconds as the APIs send them.
  {"version": 1, "argv": [...], "telemetryHost": "...", "killedBySigkill": bool, "sigkilled": ["env0/runtime", ...],
   "environments": [{
      "index", "start", "initEnd", "initDurationMs", "initStatus": "success|error|timeout", "initError": str|null,
      "runtime": {"pid", "exec", "firstNext", "exit", "ended"},
      "extensions": [{"name", "pid", "exec", "register", "registerMs", "firstNext", "readyMs", "events": [...],
                      "state", "telemetry": {subscription}|null, "exit", "ended"}],
      "invocations": [index, ...],
      "telemetry": {"delivered": batches, "events": n, "failed": batches},
      "shutdown": {"reason", "start", "deadlineMs", "deadline", "runtimeSigterm", "runtimeExit",
                   "shutdownSent": {name: t}, "exits": {name: t}, "killed": [name], "end"}}],
   "invocations": [{"index", "env", "requestId", "traceId", "event", "status": "success|error|timeout|crash",
      "errorType", "fatalError", "start", "response", "responseBody", "runtimeDone", "runtimeNext",
      "extensionNext": {name: t}, "postResponseHoldMs", "end", "freeze", "frozenPids", "frozenVerified", "thaw"}]}
  `ended` is "exit N", "signal NAME" (not sent by the fake), "SIGKILL (shutdown deadline)", "SIGKILL (reset)",
  "SIGKILL (hook)"; `postResponseHoldMs` = max over INVOKE extensions of (their next call − the response), ≥ 0.
"""
import argparse
import re
import http.client
import http.server
import json
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timezone

T0 = time.monotonic()


def now():
    """Milliseconds on the fake's monotonic clock."""
    return round((time.monotonic() - T0) * 1000.0, 3)


def epoch_ms():
    return int(time.time() * 1000)


def iso_now():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def log(msg):
    sys.stderr.write("fake-lambda: %s\n" % msg)
    sys.stderr.flush()


# -- constants of the platform -------------------------------------------------------------------------------------
INIT_LIMIT_MS = 10_000  # [LIFE] "The Init phase is limited to 10 seconds."
SHUTDOWN_LIMIT_MS = 2_000  # [GS][EXT] 2,000 ms in all when an external extension is registered
RUNTIME_SHUTDOWN_MS = 300  # [GS] "Lambda reserves up to 300 ms ... for the runtime process" (the RIE uses a 0.3 share
# of the deadline, rapid/shutdown.go runtimeDeadlineShare; the fake follows the documentation's figure)
MAX_EXTENSIONS = 10  # [RIE core/registrations.go MaxAgentsAllowed]
EXTENSION_EVENTS = ("INVOKE", "SHUTDOWN")  # [EXT] register: events
TELEMETRY_SCHEMAS = ("2022-07-01", "2022-12-13", "2025-01-29")  # [TREF] schemaVersion valid values
TELEMETRY_TYPES = ("platform", "function", "extension")  # [TREF] types
# [TREF] buffering: maxItems 1,000..10,000 (default 10,000), maxBytes 262,144..1,048,576 (default 262,144),
# timeoutMs 25..30,000 (default 1,000); the same bounds and defaults in [RIE lambda-managed-instances
# telemetry/schema/telemetry-subscription-schema.json and subscription_api.go Subscribe].
BUFFERING_BOUNDS = {"maxItems": (1000, 10000, 10000), "maxBytes": (262144, 1048576, 262144),
                    "timeoutMs": (25, 30000, 1000)}


class Proc:
    """One process of an environment (the runtime or an external extension)."""

    def __init__(self, env, name, path, logfile, environ):
        self.env = env
        self.name = name
        self.exec = now()
        self.log = open(logfile, "ab")
        # Own session and process group: the fake freezes and kills the group (children included).
        self.popen = subprocess.Popen([path], stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                      env=environ, start_new_session=True, cwd=os.path.dirname(path) or ".")
        self.pid = self.popen.pid
        self.exit = None
        self.ended = None
        self.killed_by = None  # why the fake SIGKILLed it
        threading.Thread(target=self._wait, daemon=True).start()

    def _wait(self):
        code = self.popen.wait()
        with STATE.cv:
            self.exit = now()
            if self.killed_by is not None and code == -signal.SIGKILL:
                self.ended = "SIGKILL (%s)" % self.killed_by
            elif code < 0:
                self.ended = "signal %s" % signal.Signals(-code).name
            else:
                self.ended = "exit %d" % code
            STATE.cv.notify_all()
        self.log.close()

    @property
    def alive(self):
        return self.exit is None

    def kill(self, why):
        if self.alive and self.killed_by is None:
            self.killed_by = why
        for sig in (signal.SIGKILL, signal.SIGCONT):
            try:
                os.killpg(self.pid, sig)
            except OSError:
                pass


class Extension:
    def __init__(self, name, proc=None):
        self.name = name
        self.proc = proc  # None for an internal extension (registered by a name that was not launched)
        self.id = str(uuid.uuid4())
        self.state = "Started"  # [RIE core/agent_state_names.go]
        self.events = []
        self.register = None
        self.first_next = None
        self.waiting = False  # blocked in event/next
        self.pending = []  # events to hand out on event/next
        self.next_times = []
        self.telemetry = None


class Env:
    def __init__(self, index):
        self.index = index
        self.start = now()
        self.init_end = None
        self.init_status = None
        self.init_error = None
        self.runtime = None
        self.runtime_first_next = None
        self.runtime_waiting = False
        self.runtime_pending = None  # the invocation the runtime gets on its next call
        self.extensions = {}  # name -> Extension (launched ones first)
        self.by_id = {}
        self.registration_open = True
        self.subscriptions_open = True
        self.fatal = None  # first fatal error type [RIE appctx StoreFirstFatalError]
        self.runtime_init_error = False
        self.frozen = False
        self.gone = False
        self.invocations = []
        self.shutdown = None
        self.telemetry_log = []  # every platform event of this environment, in order
        self.subscribers = []
        self.telemetry_stats = {"delivered": 0, "events": 0, "failed": 0}

    def procs(self):
        out = [self.runtime] if self.runtime else []
        out += [e.proc for e in self.extensions.values() if e.proc is not None]
        return out

    def invoke_extensions(self):
        return [e for e in self.extensions.values() if "INVOKE" in e.events and e.state in ("Ready", "Running")]


class State:
    def __init__(self):
        self.cv = threading.Condition()
        self.env = None
        self.current = None  # the invocation in progress
        self.args = None
        self.port = 0
        self.telemetry_host = None


STATE = State()


# -- telemetry ------------------------------------------------------------------------------------------------------
class Subscriber:
    """Delivers an environment's platform events to one extension's HTTP listener, in the documented batches: a batch
    goes when maxItems or maxBytes is reached, or timeoutMs after its first event [TREF buffering]; only while the
    environment is not frozen (a frozen environment runs nothing) [LIFE]."""

    def __init__(self, env, ext, url, buffering, types):
        self.env, self.ext, self.url, self.buffering, self.types = env, ext, url, buffering, types
        self.queue = []
        self.first_at = None
        threading.Thread(target=self._run, daemon=True).start()

    def add(self, event):
        # [TEL] subscribers get the streams of the types they subscribed to; the fake produces platform events only.
        if "platform" in self.types:
            if not self.queue:
                self.first_at = time.monotonic()
            self.queue.append(event)
            STATE.cv.notify_all()

    def _run(self):
        while True:
            with STATE.cv:
                while True:
                    if self.env.gone and not self.queue:
                        return
                    if self.queue and not self.env.frozen and self.ext.proc is not None and self.ext.proc.alive:
                        size = sum(len(json.dumps(e)) for e in self.queue)
                        due = self.first_at + self.buffering["timeoutMs"] / 1000.0
                        if (len(self.queue) >= self.buffering["maxItems"] or size >= self.buffering["maxBytes"]
                                or time.monotonic() >= due or self.env.shutdown is not None):
                            batch = self.queue[: self.buffering["maxItems"]]
                            self.queue = self.queue[len(batch):]
                            self.first_at = time.monotonic() if self.queue else None
                            break
                        STATE.cv.wait(max(0.001, due - time.monotonic()))
                    else:
                        if self.env.gone or (self.ext.proc is not None and not self.ext.proc.alive):
                            self.queue.clear()
                            if self.env.gone:
                                return
                        STATE.cv.wait(0.5)
            ok = self._post(batch)
            with STATE.cv:
                if ok:
                    self.env.telemetry_stats["delivered"] += 1
                    self.env.telemetry_stats["events"] += len(batch)
                else:
                    self.env.telemetry_stats["failed"] += 1

    def _post(self, batch):
        # [RIE lambda-managed-instances telemetry/internal/client.go httpClient.send]: POST of the JSON array,
        # Content-Type application/json; a failed delivery is logged and dropped.
        body = json.dumps(batch).encode()
        u = urllib.parse.urlsplit(self.url)
        try:
            conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=10)
            conn.request("POST", u.path or "/", body=body, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            return resp.status < 400
        except OSError:
            return False


def emit(env, typ, record):
    """Records one platform event [TSCH] and hands it to the environment's subscribers (call with the lock held)."""
    event = {"time": iso_now(), "type": typ, "record": record}
    env.telemetry_log.append(event)
    for s in env.subscribers:
        s.add(event)


def resolve_sandbox_host():
    try:
        addr = socket.getaddrinfo("sandbox.localdomain", None, socket.AF_INET)[0][4][0]
        return addr, "sandbox.localdomain resolved to %s by the system resolver" % addr
    except OSError:
        return "127.0.0.1", "sandbox.localdomain does not resolve here; mapped to 127.0.0.1 (as the RIE does)"


# -- HTTP API --------------------------------------------------------------------------------------------------------
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Lambda's API server is Go's net/http [RIE rapi/server.go], whose connections have TCP_NODELAY set (Go's
    # default for every TCP connection) and which writes a small response in one segment. Without both, a response
    # written as headers then body waits for the client's delayed ACK (40 ms on Linux) behind Nagle's algorithm.
    disable_nagle_algorithm = True

    def log_message(self, *a):
        pass

    def send_json(self, status, obj, headers=None):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        # Headers and body in one write (end_headers would send the headers alone).
        self._headers_buffer.append(b"\r\n" + body)
        self.flush_headers()

    def error(self, status, typ, msg):
        # [RIE rapi/model/errorresponse.go, rapi/rendering/render_error.go]: {"errorMessage", "errorType"}
        self.send_json(status, {"errorMessage": msg, "errorType": typ})

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PUT(self):
        self.route("PUT")

    def route(self, method):
        path = urllib.parse.urlsplit(self.path).path
        body = self.read_body() if method in ("POST", "PUT") else b""
        try:
            if method == "GET" and path == "/2018-06-01/runtime/invocation/next":
                return self.runtime_next()
            if method == "POST" and path.startswith("/2018-06-01/runtime/invocation/"):
                parts = path.split("/")
                if len(parts) == 6 and parts[5] in ("response", "error"):
                    return self.runtime_result(parts[4], parts[5], body)
            if method == "POST" and path == "/2018-06-01/runtime/init/error":
                return self.runtime_init_error(body)
            if method == "POST" and path == "/2020-01-01/extension/register":
                return self.ext_register(body)
            if method == "GET" and path == "/2020-01-01/extension/event/next":
                return self.ext_next()
            if method == "POST" and path in ("/2020-01-01/extension/init/error", "/2020-01-01/extension/exit/error"):
                return self.ext_error(path.rsplit("/", 2)[1])
            if method == "PUT" and path.rstrip("/") == "/2022-07-01/telemetry":
                return self.telemetry_subscribe(body)
            self.error(404, "NotFound", "no route %s %s" % (method, path))
        except (BrokenPipeError, ConnectionResetError):
            pass

    # Runtime API ----------------------------------------------------------------------------------------------------
    def runtime_next(self):
        # [RAPI] GET /runtime/invocation/next blocks until an invocation; headers Lambda-Runtime-Aws-Request-Id,
        # -Deadline-Ms, -Invoked-Function-Arn, -Trace-Id, -Client-Context, -Cognito-Identity (the last three only
        # when not empty: [RIE rapi/rendering/rendering.go setHeaderIfNotEmpty]).
        with STATE.cv:
            env = STATE.env
            if env is None or env.gone:
                return self.error(403, "Runtime.InvalidState", "no execution environment")
            t = now()
            if env.runtime_first_next is None:
                env.runtime_first_next = t
            cur = STATE.current
            if cur is not None and cur["env"] == env.index and cur["runtimeNext"] is None \
                    and cur["response"] is not None:
                cur["runtimeNext"] = t
            env.runtime_waiting = True
            STATE.cv.notify_all()
            while env.runtime_pending is None and not env.gone:
                STATE.cv.wait(1)
            env.runtime_waiting = False
            if env.gone:
                return
            inv, env.runtime_pending = env.runtime_pending, None
        headers = {"Lambda-Runtime-Aws-Request-Id": inv["requestId"],
                   "Lambda-Runtime-Deadline-Ms": str(inv["deadlineMs"]),
                   "Lambda-Runtime-Invoked-Function-Arn": inv["arn"],
                   "Lambda-Runtime-Trace-Id": inv["traceId"]}
        for key, header in (("clientContext", "Lambda-Runtime-Client-Context"),
                            ("cognitoIdentity", "Lambda-Runtime-Cognito-Identity")):
            if inv.get(key):
                headers[header] = inv[key]
        self.send_json(200, inv["event"], headers)

    def runtime_result(self, request_id, kind, body):
        with STATE.cv:
            inv = STATE.current
            # [RIE rapi/middleware/middleware.go AwsRequestIDValidator]: an id other than the current invocation's
            # (or a second result: interop.ErrResponseSent) -> 400 InvalidRequestID.
            if inv is None or inv["requestId"] != request_id or inv["response"] is not None:
                return self.error(400, "InvalidRequestID", "Invalid request ID")
            inv["response"] = now()
            inv["status"] = "success" if kind == "response" else "error"
            if kind == "error":
                inv["errorType"] = self.headers.get("Lambda-Runtime-Function-Error-Type") or "Function.Unknown"
            try:
                inv["responseBody"] = json.loads(body or b"null")
            except ValueError:
                inv["responseBody"] = body.decode("utf-8", "replace")
            env = STATE.env
            # [TSCH] platform.runtimeDone when the runtime has returned (metrics: durationMs, producedBytes).
            inv["runtimeDone"] = inv["response"]
            emit(env, "platform.runtimeDone", {
                "requestId": request_id, "status": inv["status"],
                "metrics": {"durationMs": round(inv["response"] - inv["start"], 3), "producedBytes": len(body)},
                "tracing": {"type": "X-Amzn-Trace-Id", "value": inv["traceId"]}})
            STATE.cv.notify_all()
        # [RIE rapi/rendering/rendering.go RenderAccepted]: 202 {"status":"OK"}
        self.send_json(202, {"status": "OK"})

    def runtime_init_error(self, body):
        with STATE.cv:
            env = STATE.env
            if env is None or env.init_status is not None:
                return self.error(403, "Runtime.InvalidState", "init/error outside init")
            # [RIE rapi/handler/initerror.go]: the init fails at once with the error type when it is a valid
            # Runtime.X or Function.X (fatalerror.GetValidRuntimeOrFunctionErrorType), else Runtime.Unknown.
            t = self.headers.get("Lambda-Runtime-Function-Error-Type") or ""
            valid = re.fullmatch(r"(Runtime|Function)\.[A-Z][a-zA-Z]+", t)
            env.fatal = env.fatal or (t if valid else "Runtime.Unknown")
            env.runtime_init_error = True
            STATE.cv.notify_all()
        self.send_json(202, {"status": "OK"})

    # Extensions API -------------------------------------------------------------------------------------------------
    def identify(self):
        """[RIE rapi/middleware/middleware.go AgentUniqueIdentifierHeaderValidator, handler/agentnext.go]"""
        ident = self.headers.get("Lambda-Extension-Identifier")
        if not ident:
            self.error(403, "Extension.MissingExtensionIdentifier", "Missing Lambda-Extension-Identifier header")
            return None
        try:
            uuid.UUID(ident)
        except ValueError:
            self.error(403, "Extension.InvalidExtensionIdentifier", "Invalid Lambda-Extension-Identifier")
            return None
        env = STATE.env
        ext = env.by_id.get(ident) if env else None
        if ext is None:
            self.error(403, "Extension.UnknownExtensionIdentifier", "Unknown extension %s" % ident)
        return ext

    def transition_error(self, ext, to):
        # [RIE rapi/handler/constants.go StateTransitionFailedForExtensionMessageFormat]
        self.error(403, "Extension.InvalidExtensionState", "State transition from %s to %s failed for extension %s. "
                   "Error: State transition is not allowed" % (ext.state, to, ext.id))

    def ext_register(self, body):
        # [EXT] POST /extension/register, header Lambda-Extension-Name (= the executable's file name for an external
        # extension), body {"events": [...]}; response header Lambda-Extension-Identifier, body {functionName,
        # functionVersion, handler} [RIE rapi/handler/agentregister.go, rapi/model/agentregisterresponse.go].
        name = self.headers.get("Lambda-Extension-Name")
        if not name:
            return self.error(403, "Extension.InvalidExtensionName", "Empty extension name")
        try:
            req = json.loads(body or b"{}")
            events = req.get("events") or []
            if req.get("configurationKeys"):
                raise ValueError("configurationKeys are deprecated; use environment variables instead")
            if not isinstance(events, list):
                raise ValueError("events must be an array")
        except (ValueError, AttributeError) as e:
            return self.error(403, "InvalidRequestFormat", str(e))
        with STATE.cv:
            env = STATE.env
            if env is None:
                return self.error(403, "Extension.RegistrationClosed", "Extension registration closed already")
            ext = env.extensions.get(name)
            internal = ext is None or ext.proc is None
            for e in events:
                if e not in EXTENSION_EVENTS:
                    return self.error(403, "Extension.InvalidEventType", "%s: ErrorInvalidEventType" % e)
                if internal and e == "SHUTDOWN":
                    # [RIE core/agentutil.go errEventNotSupportedForInternalAgent]
                    return self.error(403, "Extension.InvalidEventType",
                                      "%s: ShutdownEventNotSupportedForInternalExtension" % e)
            if ext is None:
                # A name that was not launched registers an internal extension [RIE agentregister.go
                # registerInternalAgent], only while registration is open and under the limit.
                if not env.registration_open:
                    return self.error(403, "Extension.RegistrationClosed", "Extension registration closed already")
                if len(env.extensions) >= MAX_EXTENSIONS:
                    return self.error(403, "Extension.TooManyExtensions", "Extension limit (%d) reached"
                                      % MAX_EXTENSIONS)
                ext = Extension(name)
                env.extensions[name] = ext
            if ext.state != "Started":
                return self.transition_error(ext, "Registered")
            ext.state = "Registered"
            ext.events = list(events)
            ext.register = now()
            env.by_id[ext.id] = ext
            STATE.cv.notify_all()
            fn = STATE.args.function_name
        self.send_json(200, {"functionName": fn, "functionVersion": "$LATEST", "handler": "bootstrap"},
                       {"Lambda-Extension-Identifier": ext.id})

    def ext_next(self):
        # [EXT] GET /extension/event/next blocks until the next event the extension registered for.
        with STATE.cv:
            ext = self.identify()
            if ext is None:
                return
            env = STATE.env
            # [RIE core/externalagent_states.go]: Ready() is allowed from Registered and Running only.
            if ext.state not in ("Registered", "Running"):
                return self.transition_error(ext, "Ready")
            t = now()
            if ext.first_next is None:
                ext.first_next = t
            ext.next_times.append(t)
            cur = STATE.current
            if cur is not None and cur["env"] == env.index and ext.name in cur["extensionNext"] \
                    and cur["extensionNext"][ext.name] is None and cur["_delivered"].get(ext.name):
                cur["extensionNext"][ext.name] = t
            ext.state = "Running"
            ext.waiting = True
            STATE.cv.notify_all()
            while not ext.pending and not env.gone and ext.state == "Running":
                STATE.cv.wait(1)
            ext.waiting = False
            if not ext.pending:
                return
            event = ext.pending.pop(0)
            if STATE.current is not None and event.get("requestId") == STATE.current["requestId"]:
                STATE.current["_delivered"][ext.name] = True
        self.send_json(200, event, {"Lambda-Extension-Event-Identifier": str(uuid.uuid4())})

    def ext_error(self, kind):
        # [EXT] POST /extension/init/error and /extension/exit/error, header Lambda-Extension-Function-Error-Type;
        # 202 {"status":"OK"}; after them every call of that extension fails [RIE handler/agentiniterror.go,
        # agentexiterror.go, core/externalagent_states.go: InitError allowed from Registered, ExitError from
        # Registered, Ready and Running; both states disallow everything else].
        with STATE.cv:
            ext = self.identify()
            if ext is None:
                return
            env = STATE.env
            err_type = self.headers.get("Lambda-Extension-Function-Error-Type")
            if not err_type:
                return self.error(403, "Extension.MissingHeader", "Lambda-Extension-Function-Error-Type not found")
            if kind == "init":
                if ext.state == "InitError":
                    return self.send_json(202, {"status": "OK"})
                if ext.state != "Registered":
                    return self.transition_error(ext, "InitError")
                ext.state = "InitError"
                env.fatal = env.fatal or "Extension.InitError"
            else:
                if ext.state == "ExitError":
                    return self.send_json(202, {"status": "OK"})
                if ext.state not in ("Registered", "Ready", "Running"):
                    return self.transition_error(ext, "Exited")
                ext.state = "ExitError"
                env.fatal = env.fatal or "Extension.ExitError"
            ext.error_type = err_type
            STATE.cv.notify_all()
        self.send_json(202, {"status": "OK"})

    # Telemetry API --------------------------------------------------------------------------------------------------
    def telemetry_subscribe(self, body):
        with STATE.cv:
            ext = self.identify()
            if ext is None:
                return
            env = STATE.env
            # [TEL] subscriptions are accepted during init only; later: 403 Telemetry.SubscriptionClosed
            # [RIE lambda-managed-instances telemetry/subscription_api.go GetServiceClosedErrorType].
            if not env.subscriptions_open:
                return self.error(403, "Telemetry.SubscriptionClosed", "Telemetry API subscription is closed")
            try:
                req = json.loads(body)
                if req.get("schemaVersion") not in TELEMETRY_SCHEMAS:
                    raise ValueError("schemaVersion must be one of %s" % ", ".join(TELEMETRY_SCHEMAS))
                types = req.get("types")
                if not isinstance(types, list) or not types or any(t not in TELEMETRY_TYPES for t in types):
                    raise ValueError("types must be a non-empty array of platform|function|extension")
                dest = req.get("destination") or {}
                if dest.get("protocol") != "HTTP" or not dest.get("URI"):
                    raise ValueError("destination must be {\"protocol\": \"HTTP\", \"URI\": ...} (TCP is not "
                                     "implemented by the fake)")
                u = urllib.parse.urlsplit(dest["URI"])
                if u.hostname not in ("sandbox.localdomain", "sandbox") or not u.port:
                    raise ValueError("destination.URI host must be sandbox.localdomain with a port")
                buffering = {}
                given = req.get("buffering") or {}
                for key, (lo, hi, default) in BUFFERING_BOUNDS.items():
                    v = given.get(key, default)
                    if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
                        raise ValueError("buffering.%s must be an integer in %d...%d" % (key, lo, hi))
                    buffering[key] = v
            except (ValueError, AttributeError, TypeError) as e:
                # [TREF] / [RIE subscription_api.go]: 400 ValidationError
                return self.error(400, "ValidationError", str(e))
            url = "http://%s:%d%s" % (STATE.telemetry_host, u.port, u.path or "/")
            ext.telemetry = {"schemaVersion": req["schemaVersion"], "types": types, "URI": dest["URI"],
                             "deliveredTo": url, "buffering": buffering, "at": now()}
            sub = Subscriber(env, ext, url, buffering, types)
            env.subscribers.append(sub)
            for event in env.telemetry_log:  # the events of this environment so far (platform.initStart)
                sub.add(event)
        self.send_json(200, "OK")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


# -- the environment's processes -------------------------------------------------------------------------------------
def descendants(pids):
    """Every process whose parent chain leads to one of `pids` (children that left the process group included)."""
    parent = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    parent[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    out, frontier = set(pids), set(pids)
    while frontier:
        frontier = {p for p, pp in parent.items() if pp in frontier and p not in out}
        out |= frontier
    return out


def proc_state(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("State:"):
                    return line.split()[1]
    except OSError:
        return None
    return None


def become_subreaper():
    """Descendants orphaned by an environment's processes are re-parented to the fake (PR_SET_CHILD_SUBREAPER), so
    freezing and killing find them through /proc even after their parent exited."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def reap_orphans(known):
    """Collects exited orphans re-parented to the fake (not the Popen children, which their own threads wait for)."""
    for pid in descendants([os.getpid()]) - {os.getpid()} - known:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


def signal_env(env, sig):
    live = [p for p in env.procs() if p.alive]
    # The environment's processes, their descendants, and orphans re-parented to the fake (one environment runs
    # at a time, so every other child of the fake belongs to it).
    pids = (descendants([p.pid for p in live]) | descendants([os.getpid()])) - {os.getpid()}
    pids -= {p.pid for p in env.procs() if not p.alive}
    for p in live:
        try:
            os.killpg(p.pid, sig)
        except OSError:
            pass
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass
    return pids


def freeze(env):
    """SIGSTOP every process of the environment and wait (≤ 2 s: a loaded machine can take a while to schedule the
    stop) until /proc shows each one stopped (State: T)."""
    with STATE.cv:
        env.frozen = True
    pids = signal_env(env, signal.SIGSTOP)
    end = time.monotonic() + 2.0
    while True:
        states = {pid: proc_state(pid) for pid in pids}
        if all(s in (None, "T", "t", "Z") for s in states.values()) or time.monotonic() > end:
            break
        time.sleep(0.001)
    return len(pids), all(s in (None, "T", "t", "Z") for s in states.values())


def thaw(env):
    signal_env(env, signal.SIGCONT)
    with STATE.cv:
        env.frozen = False
        STATE.cv.notify_all()


def call_hook(phase, index=None, env=None):
    url = STATE.args.hook_url
    if not url:
        return
    q = {"phase": phase}
    if index is not None:
        q["index"] = str(index)
    if env is not None:
        q["env"] = str(env.index)
        q["pids"] = ",".join("%s:%d" % (p.name, p.pid) for p in env.procs() if p.alive)
    try:
        urllib.request.urlopen(url + ("&" if "?" in url else "?") + urllib.parse.urlencode(q), timeout=30).read()
    except OSError as e:
        log("hook %s failed: %s" % (phase, e))


def lambda_environ(env):
    a = STATE.args
    e = dict(os.environ)
    # Contract C of Tools/lambda-e2e and [RAPI]/[EXT]: AWS_LAMBDA_RUNTIME_API is host:port without a scheme.
    e.update({
        "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % STATE.port,
        "AWS_LAMBDA_FUNCTION_NAME": a.function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(a.memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/%s" % a.function_name,
        "AWS_LAMBDA_LOG_STREAM_NAME": "%s/[$LATEST]%s" % (datetime.now(timezone.utc).strftime("%Y/%m/%d"),
                                                          uuid.uuid4().hex),
        "AWS_REGION": a.region, "AWS_DEFAULT_REGION": a.region,
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_EXECUTION_ENV": "AWS_Lambda_provided.al2023",
        "_HANDLER": "bootstrap",
        "LAMBDA_TASK_ROOT": os.path.dirname(os.path.abspath(a.bootstrap)),
        "LAMBDA_RUNTIME_DIR": os.path.dirname(os.path.abspath(a.bootstrap)),
        "TZ": ":UTC",
        "TMPDIR": a.tmp,
    })
    for kv in a.env:
        k, _, v = kv.partition("=")
        e[k] = v
    return e


def start_env(index):
    a = STATE.args
    env = Env(index)
    environ = lambda_environ(env)
    with STATE.cv:
        STATE.env = env
        # [TSCH] platform.initStart
        emit(env, "platform.initStart", {"initializationType": "on-demand", "phase": "init",
                                         "functionName": a.function_name, "functionVersion": "$LATEST"})
    paths = []
    if a.extensions:
        for f in sorted(os.listdir(a.extensions)):
            p = os.path.join(a.extensions, f)
            if os.path.isfile(p) and os.access(p, os.X_OK):
                paths.append(p)
    # [LIFE] Init starts all extensions and bootstraps the runtime; [EXT] extensions start in parallel with the
    # runtime, in alphabetical order of their file names (the RIE starts them before the runtime, rapid/sandbox.go).
    with STATE.cv:
        for p in paths:
            name = os.path.basename(p)
            ext = Extension(name)
            env.extensions[name] = ext
            ext.proc = Proc(env, name, os.path.abspath(p), os.path.join(a.log_dir, "env%d-%s.log" % (index, name)),
                            environ)
        env.runtime = Proc(env, "runtime", os.path.abspath(a.bootstrap),
                           os.path.join(a.log_dir, "env%d-runtime.log" % index), environ)
    call_hook("env-started", env=env)
    # [LIFE] init ends when the runtime and every extension have called Next; 10 s limit.
    limit = time.monotonic() + a.init_limit_ms / 1000.0
    with STATE.cv:
        while True:
            launched = [e for e in env.extensions.values() if e.proc is not None]
            exited = [p for p in env.procs() if not p.alive]
            if env.runtime_init_error:
                status, err = "error", env.fatal
                break
            if exited:
                # [RIE rapid/handlers.go watchEvents]: a process exit outside shutdown is Runtime.ExitError (the
                # runtime) or Extension.Crash (an extension), unless a fatal error was stored first (an extension's
                # init/error or exit/error: [EXT] "the extension should exit after it receives the response").
                status = "error"
                err = env.fatal or ("Runtime.ExitError" if env.runtime in exited else "Extension.Crash")
                break
            ready = env.runtime_waiting and all(e.state == "Running" and e.waiting for e in env.extensions.values()
                                                if e.state != "Started" or e.proc is not None)
            if ready and all(e.state != "Started" for e in launched):
                status, err = "success", None
                break
            left = limit - time.monotonic()
            if left <= 0:
                status, err = "timeout", "Sandbox.Timeout"
                break
            STATE.cv.wait(min(left, 0.5))
        env.init_end = now()
        env.init_status, env.init_error = status, err
        env.fatal = env.fatal or err
        env.registration_open = False  # [RIE core/registrations.go TurnOff after init]
        env.subscriptions_open = False  # [TEL] subscriptions during init only
        # [TSCH] platform.initRuntimeDone and platform.initReport
        emit(env, "platform.initRuntimeDone", {"initializationType": "on-demand", "phase": "init",
                                               "status": "success" if status == "success" else "error"})
        emit(env, "platform.initReport", {"initializationType": "on-demand", "phase": "init",
                                          "status": status if status != "timeout" else "timeout",
                                          "metrics": {"durationMs": round(env.init_end - env.start, 3)}})
    return env


def shutdown(env, reason, report):
    """[GS][EXT][RIE rapid/shutdown.go]: SIGTERM to the runtime (≤ 300 ms, then SIGKILL), then SHUTDOWN to the
    extensions registered for it, the rest of the 2,000 ms budget, then SIGKILL of whatever is left."""
    thaw(env)
    s = {"reason": reason, "start": now(), "deadlineMs": None, "deadline": None, "runtimeSigterm": None,
         "runtimeExit": None, "shutdownSent": {}, "exits": {}, "killed": [], "end": None}
    with STATE.cv:
        env.shutdown = s
        STATE.cv.notify_all()
        external = [e for e in env.extensions.values() if e.proc is not None and e.state != "Started"]
    start_mono = time.monotonic()
    deadline_mono = start_mono + SHUTDOWN_LIMIT_MS / 1000.0
    s["deadline"] = round(s["start"] + SHUTDOWN_LIMIT_MS, 3)
    s["deadlineMs"] = epoch_ms() + SHUTDOWN_LIMIT_MS
    rt = env.runtime
    if not external:
        # [RIE rapid/shutdown.go shutdown]: no graceful shutdown time for the runtime when no extension is registered.
        if rt.alive:
            rt.kill("shutdown without extensions")
    elif rt.alive:
        s["runtimeSigterm"] = now()
        try:
            os.killpg(rt.pid, signal.SIGTERM)
        except OSError:
            pass
        with STATE.cv:
            end = start_mono + RUNTIME_SHUTDOWN_MS / 1000.0
            while rt.alive and time.monotonic() < end:
                STATE.cv.wait(end - time.monotonic())
        if rt.alive:
            rt.kill("shutdown deadline")
    with STATE.cv:
        while rt.alive and time.monotonic() < deadline_mono + 1:
            STATE.cv.wait(0.05)
        s["runtimeExit"] = rt.exit
        for ext in env.extensions.values():
            if ext.proc is None or not ext.proc.alive:
                continue
            if "SHUTDOWN" in ext.events and ext.state in ("Registered", "Running"):
                # [EXT] SHUTDOWN {"eventType", "shutdownReason", "deadlineMs"} [RIE rapi/model/agentevent.go]
                ext.pending.append({"eventType": "SHUTDOWN", "shutdownReason": reason,
                                    "deadlineMs": s["deadlineMs"]})
                s["shutdownSent"][ext.name] = now()
            else:
                # [RIE rapid/shutdown.go shutdownAgents]: not subscribed to SHUTDOWN -> SIGKILL at once.
                ext.proc.kill("shutdown: not registered for SHUTDOWN")
        STATE.cv.notify_all()
        while any(e.proc.alive for e in env.extensions.values() if e.proc) and time.monotonic() < deadline_mono:
            STATE.cv.wait(max(0.001, deadline_mono - time.monotonic()))
    for ext in env.extensions.values():
        if ext.proc is not None and ext.proc.alive:
            ext.proc.kill("shutdown deadline")
    # Children left in the process groups, and descendants that left them.
    signal_env(env, signal.SIGKILL)
    with STATE.cv:
        end = time.monotonic() + 2
        while any(p.alive for p in env.procs()) and time.monotonic() < end:
            STATE.cv.wait(0.05)
        for p in env.procs():
            s["exits"][p.name] = p.exit
            if p.killed_by is not None and p.ended and p.ended.startswith("SIGKILL"):
                s["killed"].append(p.name)
                report["sigkilled"].append("env%d/%s" % (env.index, p.name))
        s["end"] = now()
        env.gone = True
    reap_orphans({p.pid for p in env.procs()})
    with STATE.cv:
        STATE.cv.notify_all()


def kill_timer(env, name, delay_ms, why):
    def fire():
        ext = env.extensions.get(name)
        if ext is not None and ext.proc is not None and ext.proc.alive:
            log("SIGKILL of extension %s (%s)" % (name, why))
            ext.proc.kill("hook")
            with STATE.cv:
                STATE.cv.notify_all()
    t = threading.Timer(delay_ms / 1000.0, fire)
    t.daemon = True
    t.start()


def x_amzn_trace_id():
    # [RAPI] Lambda-Runtime-Trace-Id: the X-Ray tracing header, Root=1-<8 hex epoch s>-<24 hex>;Parent=<16 hex>;
    # Sampled=1
    return "Root=1-%08x-%s;Parent=%s;Sampled=1" % (int(time.time()), os.urandom(12).hex(), os.urandom(8).hex())


def invoke(env, index, event, report):
    a = STATE.args
    kills = [k for k in a.kill_extension_at if k[0] == index]
    timeout_s = a.timeout_ms / 1000.0
    inv = {"index": index, "env": env.index, "requestId": str(uuid.uuid4()), "traceId": x_amzn_trace_id(),
           "event": event, "status": None, "errorType": None, "fatalError": None, "start": None, "response": None,
           "responseBody": None, "runtimeDone": None, "runtimeNext": None, "extensionNext": {},
           "postResponseHoldMs": None, "end": None, "freeze": None, "frozenPids": None, "frozenVerified": None,
           "thaw": None, "_delivered": {}}
    report["invocations"].append(inv)
    env.invocations.append(index)
    with STATE.cv:
        start_mono = time.monotonic()
        inv["start"] = now()
        deadline_ms = epoch_ms() + a.timeout_ms
        inv["deadlineMs"] = deadline_ms
        arn = "arn:aws:lambda:%s:123456789012:function:%s" % (a.region, a.function_name)
        env.runtime_pending = {"requestId": inv["requestId"], "deadlineMs": deadline_ms, "arn": arn,
                               "traceId": inv["traceId"], "event": event, "clientContext": a.client_context,
                               "cognitoIdentity": a.cognito_identity}
        for ext in env.invoke_extensions():
            inv["extensionNext"][ext.name] = None
            # [EXT] INVOKE {"eventType","deadlineMs","requestId","invokedFunctionArn","tracing"}
            # [RIE rapi/model/agentevent.go AgentInvokeEvent, tracing.go]
            ext.pending.append({"eventType": "INVOKE", "deadlineMs": deadline_ms, "requestId": inv["requestId"],
                                "invokedFunctionArn": arn,
                                "tracing": {"type": "X-Amzn-Trace-Id", "value": inv["traceId"]}})
        STATE.current = inv
        # [TSCH] platform.start
        emit(env, "platform.start", {"requestId": inv["requestId"], "version": "$LATEST",
                                     "tracing": {"type": "X-Amzn-Trace-Id", "value": inv["traceId"]}})
        STATE.cv.notify_all()
    for k in kills:
        if k[2] == "invoke":
            kill_timer(env, k[1], k[3], "invocation %d + %d ms" % (index, k[3]))
    response_hooked = False
    reset = None
    with STATE.cv:
        while True:
            if inv["response"] is not None and not response_hooked:
                response_hooked = True
                for k in kills:
                    if k[2] == "response":
                        kill_timer(env, k[1], k[3], "response of invocation %d + %d ms" % (index, k[3]))
                if a.hook_url:
                    STATE.cv.release()
                    try:
                        call_hook("after-response", index, env)
                    finally:
                        STATE.cv.acquire()
                    continue
            if not env.runtime.alive:
                # [RIE rapid/handlers.go watchEvents]: runtime exit -> Runtime.ExitError, reset with reason failure.
                if inv["response"] is None:
                    inv["status"], inv["errorType"] = "crash", "Runtime.ExitError"
                inv["fatalError"] = "Runtime.ExitError"
                reset = "failure"
                break
            crashed = [e for e in env.extensions.values() if e.proc is not None and not e.proc.alive]
            if crashed:
                # [RIE rapid/handlers.go watchEvents]: extension exit -> Extension.Crash, or the fatal error stored
                # before it (exit/error: Extension.ExitError, [RIE handler/agentexiterror.go]); the invocation fails
                # and the environment is reset (reason failure). A response already sent to the caller stays sent.
                # An extension that called exit/error and does not exit is never ready again: the invocation
                # ends at the function timeout.
                inv["fatalError"] = env.fatal or "Extension.Crash"
                env.fatal = inv["fatalError"]
                if inv["response"] is None:
                    inv["status"], inv["errorType"] = "error", inv["fatalError"]
                reset = "failure"
                break
            done = inv["response"] is not None and env.runtime_waiting and env.runtime_pending is None
            for name in inv["extensionNext"]:
                ext = env.extensions[name]
                if inv["extensionNext"][name] is None:
                    done = False
            if done:
                break
            left = start_mono + timeout_s - time.monotonic()
            if left <= 0 and inv["response"] is None:
                # [LIFE] the function timeout limits the invoke phase; "Task timed out after N seconds"; reset
                # with reason timeout [RIE rapid/handlers.go handleReset].
                inv["status"], inv["errorType"] = "timeout", "Sandbox.Timeout"
                inv["responseBody"] = {"errorMessage": "%s Task timed out after %.2f seconds"
                                       % (inv["requestId"], timeout_s)}
                reset = "timeout"
                break
            if left <= 0 and inv["response"] is not None:
                # The invoke phase (extensions' post-response time included) is limited by the timeout too [LIFE].
                inv["fatalError"] = "Sandbox.Timeout"
                reset = "timeout"
                break
            STATE.cv.wait(max(0.001, min(left, 0.5)) if left > 0 else 0.5)
        inv["end"] = now()
        if reset is not None and inv["runtimeDone"] is None:
            # [RIE rapid/handlers.go handleReset]: platform.runtimeDone on a reset during an invocation
            inv["runtimeDone"] = inv["end"]
            emit(env, "platform.runtimeDone", {"requestId": inv["requestId"],
                                               "status": "timeout" if reset == "timeout" else "failure",
                                               "errorType": inv["errorType"] or inv["fatalError"]})
        holds = [t - inv["response"] for t in inv["extensionNext"].values() if t is not None and
                 inv["response"] is not None]
        inv["postResponseHoldMs"] = round(max([0.0] + holds), 3) if inv["response"] is not None else None
        # [TSCH] platform.report
        emit(env, "platform.report", {"requestId": inv["requestId"], "status": inv["status"] or "failure",
                                      "metrics": {"durationMs": round(inv["end"] - inv["start"], 3),
                                                  "billedDurationMs": int(inv["end"] - inv["start"]) + 1,
                                                  "memorySizeMB": a.memory_mb, "maxMemoryUsedMB": 0}})
        STATE.current = None
    return reset


def main():
    ap = argparse.ArgumentParser(description="\n\n".join(__doc__.split("\n\n")[:3]),
                                 epilog="See the docstring at the top of Tools/fake-lambda.py for the lifecycle, the "
                                        "sources and the report format.",
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", required=True, help="the function's executable (custom runtime)")
    ap.add_argument("--extensions", help="directory whose executable files are started as external extensions")
    ap.add_argument("--events", help="JSON Lines file, one event per line (one invocation each)")
    ap.add_argument("--event", help="one event (JSON), sent --count times")
    ap.add_argument("--count", type=int, default=1, help="how many times --event is sent (default 1)")
    ap.add_argument("--timeout-ms", type=int, default=3000, help="function timeout (default 3000)")
    ap.add_argument("--memory-mb", type=int, default=128, help="AWS_LAMBDA_FUNCTION_MEMORY_SIZE (default 128)")
    ap.add_argument("--function-name", default="tracespool-fake-function", help="AWS_LAMBDA_FUNCTION_NAME")
    ap.add_argument("--region", default="us-east-1", help="AWS_REGION and AWS_DEFAULT_REGION (default us-east-1)")
    ap.add_argument("--gap-ms", type=int, default=0, help="time spent frozen between invocations (default 0)")
    ap.add_argument("--env", action="append", default=[], metavar="K=V", help="extra environment (repeatable)")
    ap.add_argument("--tmp", help="TMPDIR of every environment of the run (default: a new directory)")
    ap.add_argument("--log-dir", help="stdout/stderr of each process (default: REPORT.logs)")
    ap.add_argument("--hook-url", help="GET this URL at each phase and wait for the answer (see the docstring)")
    ap.add_argument("--kill-extension-at", action="append", default=[], metavar="I:NAME:invoke|response:MS",
                    help="SIGKILL extension NAME MS ms after the start or the response of invocation I")
    ap.add_argument("--init-limit-ms", type=int, default=INIT_LIMIT_MS,
                    help="the init phase's limit (default and on AWS: 10000; shorter only to test the limit quickly)")
    ap.add_argument("--client-context", help="Lambda-Runtime-Client-Context of every invocation (JSON; default none)")
    ap.add_argument("--cognito-identity", help="Lambda-Runtime-Cognito-Identity of every invocation (JSON; default "
                                               "none)")
    ap.add_argument("--report", required=True, help="JSON report written at the end")
    a = ap.parse_args()
    if (a.events is None) == (a.event is None):
        ap.error("give exactly one of --events and --event")
    events = []
    if a.events:
        with open(a.events) as f:
            events = [json.loads(line) for line in f if line.strip()]
    else:
        events = [json.loads(a.event)] * a.count
    kills = []
    for spec in a.kill_extension_at:
        i, name, when, ms = spec.split(":")
        if when not in ("invoke", "response"):
            ap.error("--kill-extension-at: EVENT must be invoke or response")
        kills.append((int(i), name, when, float(ms)))
    a.kill_extension_at = kills
    if a.tmp is None:
        import tempfile
        a.tmp = tempfile.mkdtemp(prefix="fake-lambda-tmp-")
    os.makedirs(a.tmp, exist_ok=True)
    a.log_dir = a.log_dir or a.report + ".logs"
    os.makedirs(a.log_dir, exist_ok=True)
    STATE.args = a
    become_subreaper()
    STATE.telemetry_host, host_note = resolve_sandbox_host()
    server = Server(("127.0.0.1", 0), Handler)
    STATE.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    report = {"version": 1, "argv": sys.argv[1:], "telemetryHost": host_note, "runtimeApi": "127.0.0.1:%d" % STATE.port,
              "killedBySigkill": False, "sigkilled": [], "environments": [], "invocations": []}
    envs = []
    env = None

    def close_env(e, reason):
        shutdown(e, reason, report)
        envs.append(e)

    try:
        for i, event in enumerate(events):
            if env is not None and not env.fatal:
                dead = [p for p in env.procs() if not p.alive]
                if dead:
                    # A process that exited (or was killed) after its invocation ended: the same fatal errors as
                    # during one [RIE rapid/handlers.go watchEvents].
                    env.fatal = "Runtime.ExitError" if env.runtime in dead else "Extension.Crash"
            if env is not None and env.fatal:
                close_env(env, "failure")
                env = None
            call_hook("before-invoke", i, env)
            if env is None:
                env = start_env(len(envs))
                if env.init_status != "success":
                    # [LIFE] an init that fails is retried on the next invocation; this one fails with its error.
                    report["invocations"].append({"index": i, "env": env.index, "requestId": None,
                                                  "status": "error", "errorType": env.init_error, "start": now(),
                                                  "event": event, "postResponseHoldMs": None})
                    env.invocations.append(i)
                    close_env(env, "failure")
                    env = None
                    continue
            else:
                t = now()
                thaw(env)
                if report["invocations"]:
                    report["invocations"][-1]["thaw"] = t
            reset = invoke(env, i, event, report)
            if reset is not None:
                close_env(env, reset)
                env = None
                continue
            inv = report["invocations"][-1]
            inv["freeze"] = now()
            inv["frozenPids"], inv["frozenVerified"] = freeze(env)
            call_hook("after-invoke", i, env)
            if a.gap_ms:
                time.sleep(a.gap_ms / 1000.0)
        call_hook("before-shutdown", len(events), env)
        if env is not None:
            if report["invocations"]:
                report["invocations"][-1]["thaw"] = now()
            close_env(env, "spindown")
    finally:
        for e in envs + ([env] if env is not None and env not in envs else []):
            for p in e.procs():
                if p.alive:
                    p.kill("fake exiting")
        report["killedBySigkill"] = bool(report["sigkilled"])
        for e in envs:
            report["environments"].append(env_report(e))
        for inv in report["invocations"]:
            inv.pop("_delivered", None)
        with open(a.report, "w") as f:
            json.dump(report, f, indent=1)
        call_hook("done")
    failed = [inv for inv in report["invocations"] if inv["status"] != "success"]
    log("%d invocations (%d not successful), %d environments, SIGKILLed: %s; report %s"
        % (len(report["invocations"]), len(failed), len(envs), ", ".join(report["sigkilled"]) or "none", a.report))


def env_report(e):
    def ms_after(t, t0):
        return None if t is None or t0 is None else round(t - t0, 3)
    rt = e.runtime
    return {
        "index": e.index, "start": e.start, "initEnd": e.init_end,
        "initDurationMs": ms_after(e.init_end, e.start), "initStatus": e.init_status, "initError": e.init_error,
        "fatalError": e.fatal,
        "runtime": {"pid": rt.pid, "exec": rt.exec, "firstNext": e.runtime_first_next, "exit": rt.exit,
                    "ended": rt.ended} if rt else None,
        "extensions": [{
            "name": x.name, "pid": x.proc.pid if x.proc else None, "exec": x.proc.exec if x.proc else None,
            "register": x.register, "registerMs": ms_after(x.register, x.proc.exec if x.proc else None),
            "firstNext": x.first_next, "readyMs": ms_after(x.first_next, x.proc.exec if x.proc else None),
            "events": x.events, "state": x.state, "telemetry": x.telemetry,
            "exit": x.proc.exit if x.proc else None, "ended": x.proc.ended if x.proc else None}
            for x in e.extensions.values()],
        "invocations": e.invocations, "telemetry": e.telemetry_stats, "shutdown": e.shutdown}


if __name__ == "__main__":
    main()
