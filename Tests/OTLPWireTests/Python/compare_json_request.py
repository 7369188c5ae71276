# Checks that our OTLP/JSON ExportTraceServiceRequest (argv[1]) means the same as our binary
# encoding (argv[2]), using the official opentelemetry-proto classes. OTLP/JSON writes ids as
# hex while proto3 JSON expects base64, so ids are converted before json_format.Parse.
# Prints "equal" on success, otherwise both messages. Used by PythonCrossCheckTests.swift.
import base64, json, sys
from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

def fix_ids(obj):
    for key in ("traceId", "spanId", "parentSpanId"):
        if key in obj:
            obj[key] = base64.b64encode(bytes.fromhex(obj[key])).decode()

with open(sys.argv[1]) as f:
    doc = json.load(f)
for rs in doc.get("resourceSpans", []):
    for ss in rs.get("scopeSpans", []):
        for span in ss.get("spans", []):
            fix_ids(span)
            for link in span.get("links", []):
                fix_ids(link)
from_json = json_format.Parse(json.dumps(doc), ExportTraceServiceRequest())
from_binary = ExportTraceServiceRequest()
with open(sys.argv[2], "rb") as f:
    from_binary.ParseFromString(f.read())
if from_json == from_binary:
    print("equal")
else:
    print("JSON:", from_json)
    print("BINARY:", from_binary)
