"""What the independent reader (Tests/SpoolFormatTests/Python/spool_reader.py, written from Spool/FORMAT.md alone)
finds in a spool: per segment its service, valid frames, damage, tail, drop counts and the spans of its valid frames,
decoded with opentelemetry-proto. The reader is imported, not copied: this module only walks the records of the
frames the reader accepted.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "Tests", "SpoolFormatTests", "Python"))

import spool_reader  # noqa: E402
from opentelemetry.proto.resource.v1 import resource_pb2  # noqa: E402
from opentelemetry.proto.trace.v1 import trace_pb2  # noqa: E402

try:  # the same CRC-32C, in C: the reader's table loop costs about 1 µs per byte
    import crc32c as _crc32c

    spool_reader.crc32c = lambda data: _crc32c.crc32c(bytes(data))
except ImportError:
    pass

SPAN_RECORD = 1
DROPS_RECORD = 2


def is_segment(name):
    return (name.endswith(".seg") or name.endswith(".open")) and not name.startswith(".")


def records(payload):
    """(type, body) of each record of a payload the reader accepted."""
    i = 0
    while i < len(payload):
        record_type = payload[i]
        length, i = spool_reader.varint(payload, i + 1)
        yield record_type, bytes(payload[i:i + length])
        i += length


def frame_payload(data, frame):
    start = frame["offset"] + 36
    stored = data[start:start + frame["stored_length"]]
    if frame["codec"] == "stored":
        return stored
    return spool_reader.lz4_block(stored, frame["uncompressed_length"])


def drop_total(body):
    count, i = spool_reader.varint(body, 0)
    total = 0
    for _ in range(count or 0):
        if i >= len(body):
            break
        n, i = spool_reader.varint(body, i + 1)
        total += n or 0
    return total


class Segment:
    """One segment as the independent reader sees it."""

    def __init__(self, path):
        self.path = path
        self.result = spool_reader.read(path)
        with open(path, "rb") as f:
            data = f.read()
        self.size = len(data)
        self.header_error = self.result["header_error"]
        self.damages = self.result["damages"]
        self.tail = self.result["tail"]
        self.service = ""
        self.frames = []  # (offset, length, [span keys])
        self.spans = {}  # (trace hex, span hex) -> canonical bytes
        self.undecodable = 0
        self.drops = 0
        header = self.result["header"]
        if header is None:
            return
        resource = resource_pb2.Resource.FromString(bytes.fromhex(header["resource_hex"]))
        for kv in resource.attributes:
            if kv.key == "service.name":
                self.service = kv.value.string_value
        for frame in self.result["frames"]:
            keys = []
            for record_type, body in records(frame_payload(data, frame)):
                if record_type == DROPS_RECORD:
                    self.drops += drop_total(body)
                if record_type != SPAN_RECORD:
                    continue
                try:
                    span = trace_pb2.Span.FromString(body)
                except Exception:
                    self.undecodable += 1
                    continue
                key = (span.trace_id.hex(), span.span_id.hex())
                keys.append(key)
                self.spans[key] = span.SerializeToString(deterministic=True)
            self.frames.append((frame["offset"], frame["length"], keys))

    @property
    def header_length(self):
        header = self.result["header"]
        return header["header_length"] if header else 0


def read_spool(directory):
    """Every segment file in `directory` (sorted by name)."""
    out = []
    if not os.path.isdir(directory):
        return out
    for name in sorted(os.listdir(directory)):
        if is_segment(name):
            out.append(Segment(os.path.join(directory, name)))
    return out


def spans_by_service(segments):
    """service -> {key: canonical bytes} over `segments`."""
    out = {}
    for segment in segments:
        out.setdefault(segment.service, {}).update(segment.spans)
    return out
