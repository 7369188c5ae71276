"""The OTLP/HTTP backend of the Lambda end-to-end tests: Tools/torture/otlp_receiver.py's `Receiver` (loopback, every
request decoded with opentelemetry-proto, independent of TraceSpool's Swift code; modes ok|503|429|reset|hang|down,
where down stops listening so connections are refused) plus a response delay for a slow backend and the
per-invocation view the scenarios assert on: the spans of each `tracespool.demo.request_id`.
"""
import os
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "torture"))
from otlp_receiver import Receiver  # noqa: E402  (imported, not copied: one receiver for every end-to-end tool)
from opentelemetry.proto.trace.v1 import trace_pb2  # noqa: E402

REQUEST_ID_KEY = "tracespool.demo.request_id"


class Capture(Receiver):
    """A `Receiver` whose answers can be delayed (`delay_s`: a slow backend; the spans count as delivered only once
    the delayed 200 is sent, the receiver's own rule)."""

    def __init__(self):
        self.delay_s = 0.0
        super().__init__()

    def _answer(self, conn, body):
        if self.delay_s > 0:
            time.sleep(self.delay_s)
        return super()._answer(conn, body)

    def spans(self):
        """{(trace hex, span hex): (name, {attribute: value})} of every delivered span."""
        with self.lock:
            bodies = dict(self.body)
        out = {}
        for key, raw in bodies.items():
            span = trace_pb2.Span.FromString(raw)
            attrs = {}
            for kv in span.attributes:
                v = kv.value
                attrs[kv.key] = getattr(v, v.WhichOneof("value")) if v.WhichOneof("value") else None
            out[key] = (span.name, attrs)
        return out

    def per_request(self):
        """Counter of delivered spans per request id."""
        return Counter(attrs.get(REQUEST_ID_KEY) for _, attrs in self.spans().values())

    def duplicates(self):
        """Number of extra deliveries (a span delivered n times counts n-1)."""
        with self.lock:
            return sum(c - 1 for c in self.counts.values() if c > 1)

    def total(self):
        with self.lock:
            return len(self.counts)
