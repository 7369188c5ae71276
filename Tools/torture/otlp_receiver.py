"""A loopback OTLP/HTTP trace receiver for `torture.py` that decodes every request with opentelemetry-proto and
can be told to misbehave: answer 429 with Retry-After, answer 503, reset connections, hang (accept and never
answer), or go down (close its listening socket, so connections are refused) and come back on the same port.

Only requests it answers 200 count as delivered. It records every delivered span by (trace id, span id) with its
service name and canonical bytes, and checks that a batch answered 429 with `Retry-After: S` is not sent again
before S seconds have passed.
"""
import gzip
import hashlib
import socket
import struct
import threading
import time
from collections import Counter

from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

MODES = ("ok", "429", "503", "reset", "hang", "down")
RETRY_AFTER_SLACK = 0.05  # seconds of clock and scheduling slack allowed on Retry-After


def service_of(resource):
    for kv in resource.attributes:
        if kv.key == "service.name":
            return kv.value.string_value
    return ""


class Receiver:
    def __init__(self, retry_after_seconds=1):
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.mode = "ok"
        self.retry_after = retry_after_seconds
        self.counts = Counter()  # (trace hex, span hex) -> times delivered
        self.service = {}  # key -> service.name
        self.body = {}  # key -> canonical serialized span (first delivery)
        self.statuses = Counter()  # answer -> count ("200", "429", "503", "reset", "hang", "bad")
        self.refused_window = 0.0
        self.retry_after_checks = 0
        self.retry_after_violations = []
        self._throttled = {}  # batch digest -> time of the 429 answer
        self._stopped = False
        self._connections = set()
        self._listener = None
        self.port = 0
        self._listen()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    # -- control -------------------------------------------------------------------------------------------------
    def set_mode(self, mode):
        assert mode in MODES, mode
        with self.lock:
            previous = self.mode
            self.mode = mode
            self.changed.notify_all()
        if mode == "down" and previous != "down":
            with self.lock:
                listener, self._listener = self._listener, None
                conns = list(self._connections)
            self._close_listener(listener)
            for c in conns:
                self._abort(c)
        elif previous == "down" and mode != "down":
            self._listen(self.port)

    def delivered_keys(self):
        with self.lock:
            return dict(self.counts)

    def stop(self):
        with self.lock:
            self._stopped = True
            self.changed.notify_all()
            listener, self._listener = self._listener, None
            conns = list(self._connections)
        self._close_listener(listener)
        for c in conns:
            self._abort(c)

    # -- sockets -------------------------------------------------------------------------------------------------
    def _listen(self, port=0):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        for attempt in range(100):
            try:
                s.bind(("127.0.0.1", port))
                break
            except OSError:
                if port == 0 or attempt == 99:
                    raise
                time.sleep(0.05)
        s.listen(128)
        s.settimeout(0.2)
        self.port = s.getsockname()[1]
        with self.lock:
            self._listener = s

    def _accept_loop(self):
        while True:
            with self.lock:
                if self._stopped:
                    return
                listener = self._listener
            if listener is None:
                time.sleep(0.05)
                continue
            try:
                conn, _ = listener.accept()
            except (socket.timeout, OSError):
                continue
            conn.settimeout(0.5)
            with self.lock:
                self._connections.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _close_listener(listener):
        """Stops listening at once (shutdown wakes a blocked accept; close alone waits for it)."""
        if listener is None:
            return
        try:
            listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        listener.close()

    @staticmethod
    def _abort(conn):
        try:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        try:
            conn.close()
        except OSError:
            pass

    def _read(self, conn, buf, predicate):
        while not predicate(buf):
            with self.lock:
                if self._stopped or conn not in self._connections:
                    return None
            try:
                chunk = conn.recv(1 << 16)
            except socket.timeout:
                continue
            except OSError:
                return None
            if not chunk:
                return None
            buf += chunk
        return buf

    def _serve(self, conn):
        buf = b""
        try:
            while True:
                buf = self._read(conn, buf, lambda b: b"\r\n\r\n" in b)
                if buf is None:
                    return
                head, buf = buf.split(b"\r\n\r\n", 1)
                headers = {}
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get(b"content-length", b"0"))
                buf = self._read(conn, buf, lambda b: len(b) >= length)
                if buf is None:
                    return
                body, buf = buf[:length], buf[length:]
                if headers.get(b"content-encoding", b"").lower() == b"gzip":
                    body = gzip.decompress(body)
                if not self._answer(conn, body):
                    return
        finally:
            with self.lock:
                self._connections.discard(conn)
            try:
                conn.close()
            except OSError:
                pass

    def _answer(self, conn, body):
        """Answers one request per the mode; False when the connection is to be dropped."""
        with self.lock:
            mode = self.mode
        try:
            request = trace_service_pb2.ExportTraceServiceRequest.FromString(body)
        except Exception:
            with self.lock:
                self.statuses["bad"] += 1
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return True
        spans = []
        for rs in request.resource_spans:
            svc = service_of(rs.resource)
            for ss in rs.scope_spans:
                for span in ss.spans:
                    spans.append(((span.trace_id.hex(), span.span_id.hex()), svc, span))
        digest = hashlib.sha256("".join(sorted(k[0] + k[1] for k, _, _ in spans)).encode()).hexdigest()
        now = time.monotonic()
        with self.lock:
            since = self._throttled.pop(digest, None)
            if since is not None:
                self.retry_after_checks += 1
                waited = now - since[0]
                if waited + RETRY_AFTER_SLACK < since[1]:
                    self.retry_after_violations.append(
                        "batch of %d spans re-sent %.3f s after a 429 with Retry-After: %d"
                        % (len(spans), waited, since[1]))
        if mode == "429":
            with self.lock:
                self.statuses["429"] += 1
                self._throttled[digest] = (time.monotonic(), self.retry_after)
            conn.sendall(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: %d\r\nContent-Length: 0\r\n\r\n"
                         % self.retry_after)
            return True
        if mode == "503":
            with self.lock:
                self.statuses["503"] += 1
            conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
            return True
        if mode == "reset":
            with self.lock:
                self.statuses["reset"] += 1
            self._abort(conn)
            return False
        if mode in ("hang", "down"):
            with self.lock:
                self.statuses["hang"] += 1
                while self.mode == mode and not self._stopped:
                    self.changed.wait(0.5)
            self._abort(conn)
            return False
        with self.lock:
            self.statuses["200"] += 1
            for key, svc, span in spans:
                self.counts[key] += 1
                if key not in self.body:
                    self.service[key] = svc
                    self.body[key] = span.SerializeToString(deterministic=True)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n")
        return True
