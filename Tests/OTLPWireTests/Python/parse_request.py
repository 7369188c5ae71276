# Parses a binary ExportTraceServiceRequest (path in argv[1]) with the official
# opentelemetry-proto Python classes and prints a compact JSON summary on stdout.
# Used by PythonCrossCheckTests.swift.
import json, sys
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

def value(v):
    kind = v.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return {"array": [value(x) for x in v.array_value.values]}
    if kind == "kvlist_value":
        return {"kvlist": {kv.key: value(kv.value) for kv in v.kvlist_value.values}}
    if kind == "bytes_value":
        return {"bytes": v.bytes_value.hex()}
    if kind == "int_value":
        return {"int": str(v.int_value)}
    return {kind.replace("_value", ""): getattr(v, kind)}

def attrs(kvs):
    return {kv.key: value(kv.value) for kv in kvs}

req = ExportTraceServiceRequest()
with open(sys.argv[1], "rb") as f:
    req.ParseFromString(f.read())
out = []
for rs in req.resource_spans:
    r = {"resource": attrs(rs.resource.attributes), "schemaUrl": rs.schema_url, "scopes": []}
    for ss in rs.scope_spans:
        spans = []
        for s in ss.spans:
            spans.append({
                "traceId": s.trace_id.hex(), "spanId": s.span_id.hex(),
                "parentSpanId": s.parent_span_id.hex(), "traceState": s.trace_state,
                "name": s.name, "kind": s.kind,
                "start": str(s.start_time_unix_nano), "end": str(s.end_time_unix_nano),
                "attributes": attrs(s.attributes),
                "droppedAttributes": s.dropped_attributes_count,
                "events": [{"time": str(e.time_unix_nano), "name": e.name, "attributes": attrs(e.attributes)} for e in s.events],
                "links": [{"traceId": l.trace_id.hex(), "spanId": l.span_id.hex(), "flags": l.flags} for l in s.links],
                "statusCode": s.status.code, "statusMessage": s.status.message,
                "flags": s.flags,
            })
        r["scopes"].append({"name": ss.scope.name, "version": ss.scope.version, "schemaUrl": ss.schema_url, "spans": spans})
    out.append(r)
print(json.dumps(out))
