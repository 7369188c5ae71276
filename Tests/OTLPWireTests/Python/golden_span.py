# Produces the golden Span bytes embedded in GoldenBytesTests.swift.
# Run: python3 Tests/OTLPWireTests/Python/golden_span.py   (needs `pip install opentelemetry-proto`)
from opentelemetry.proto.trace.v1 import trace_pb2 as t
from opentelemetry.proto.common.v1 import common_pb2 as c

def kv(k, **v):
    return c.KeyValue(key=k, value=c.AnyValue(**v))

s = t.Span(
    trace_id=bytes(range(1, 17)),
    span_id=bytes(range(0xA1, 0xA9)),
    trace_state="a=b",
    parent_span_id=bytes(range(0xB1, 0xB9)),
    name="GET /users",
    kind=t.Span.SPAN_KIND_SERVER,
    start_time_unix_nano=1700000000000000000,
    end_time_unix_nano=1700000000123456789,
    attributes=[
        kv("http.method", string_value="GET"),
        kv("http.status_code", int_value=200),
        kv("retry", bool_value=True),
        kv("ratio", double_value=0.5),
        kv("neg", int_value=-1),
        kv("arr", array_value=c.ArrayValue(values=[c.AnyValue(int_value=1), c.AnyValue(string_value="x")])),
        kv("kvl", kvlist_value=c.KeyValueList(values=[kv("inner", bytes_value=b"\x00\x01\xff")])),
        kv("ünï", string_value="😀"),
    ],
    dropped_attributes_count=1,
    events=[t.Span.Event(time_unix_nano=1700000000000000500, name="evt", attributes=[kv("a", int_value=1)])],
    dropped_events_count=2,
    links=[t.Span.Link(trace_id=bytes(range(1, 17)), span_id=bytes(range(0xC1, 0xC9)), trace_state="k=v", flags=1)],
    dropped_links_count=3,
    status=t.Status(code=t.Status.STATUS_CODE_ERROR, message="boom"),
    flags=0x301,
)
print(s.SerializeToString().hex())
