#!/usr/bin/env python3
"""Prints the spans of a spool directory as JSON, decoded independently of the Swift code: frames read by
Tests/SpoolFormatTests/Python/spool_reader.py (written from Spool/FORMAT.md alone), span records decoded with the
official opentelemetry-proto classes.

Usage: span_attributes.py SPOOL_DIR
  Prints [{"name": ..., "kind": ..., "attributes": {key: value}}] for every span record of every segment; values
  are strings, ints, doubles, bools or lists of them. Exit status 0, or 2 on usage errors.
"""
import json
import mmap
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "SpoolFormatTests", "Python"))
import spool_reader  # noqa: E402
from opentelemetry.proto.trace.v1.trace_pb2 import Span  # noqa: E402

SPAN_RECORD = 1


def value(v):
    kind = v.WhichOneof("value")
    if kind == "array_value":
        return [value(x) for x in v.array_value.values]
    if kind is None:
        return None
    return getattr(v, kind)


def spans_of(path):
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return []
        b = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        end = len(b)
        out = []
        o = spool_reader.resync(b, 0, end)
        while o is not None and o < end:
            result = spool_reader.frame_at(b, o, end)
            if result[0] != "valid":
                o = spool_reader.resync(b, o + 1, end)
                continue
            frame, nxt = result[1], result[2]
            stored = bytes(b[o + 36:nxt])
            payload = stored if frame["codec"] == "stored" else spool_reader.lz4_block(
                stored, frame["uncompressed_length"])
            for record_type, body in spool_reader.records(payload, frame["record_count"]):
                if record_type != SPAN_RECORD:
                    continue
                span = Span()
                span.ParseFromString(bytes(body))
                out.append({"name": span.name, "kind": span.kind,
                            "attributes": {kv.key: value(kv.value) for kv in span.attributes}})
            o = nxt
        return out


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print(__doc__, file=sys.stderr)
        return 2
    spans = []
    for name in sorted(os.listdir(argv[1])):
        if name.endswith(".seg") or name.endswith(".open"):
            spans += spans_of(os.path.join(argv[1], name))
    print(json.dumps(spans, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
