#!/usr/bin/env python3
"""An independent reader of spool format v1, written from Spool/FORMAT.md alone (it shares no code with
Sources/SpoolFormat), used to cross-check the golden vectors and the Swift reader.

Usage: spool_reader.py DIR
         Reads every file in DIR that has a DIR/<name>.expected.json and compares the read result with it.
       spool_reader.py --start OFFSET FILE
         Reads FILE from the frame boundary OFFSET (as from an uploader checkpoint) and prints the read result as
         JSON (the layout of the .expected.json files).
  Exit status: 0 when every file matches (or FILE was read), 1 when one differs, 2 on usage errors.
"""
import json
import mmap
import os
import struct
import sys

SEGMENT_MAGIC = b"\x89TSPOOL\n"
FRAME_MAGIC = b"\xf5\x53\x46\x31"
MAX_HEADER = 1 << 20
MAX_PAYLOAD = 16 << 20
MAX_RECORD = 4 << 20
MAX_SEGMENT = 1 << 30
MAX_HOST = 64
MAX_DROP_ENTRIES = 256
SEAL_RECORD_FLAG = 1

_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def lz4_block(src, size):
    """Decompresses one raw LZ4 block to exactly `size` bytes; raises ValueError otherwise."""
    out = bytearray()
    i = 0
    while True:
        if i >= len(src):
            raise ValueError("truncated")
        token = src[i]
        i += 1
        lit = token >> 4
        if lit == 15:
            while True:
                if i >= len(src):
                    raise ValueError("truncated")
                lit += src[i]
                i += 1
                if src[i - 1] != 255:
                    break
        if i + lit > len(src):
            raise ValueError("literals past the end")
        out += src[i:i + lit]
        i += lit
        if len(out) > size:
            raise ValueError("too long")
        if i == len(src):
            break
        if i + 2 > len(src):
            raise ValueError("truncated offset")
        off = src[i] | src[i + 1] << 8
        i += 2
        if off == 0 or off > len(out):
            raise ValueError("bad offset")
        ml = token & 15
        if ml == 15:
            while True:
                if i >= len(src):
                    raise ValueError("truncated")
                ml += src[i]
                i += 1
                if src[i - 1] != 255:
                    break
        ml += 4
        if len(out) + ml > size:
            raise ValueError("too long")
        for _ in range(ml):
            out.append(out[-off])
    if len(out) != size:
        raise ValueError("wrong size")
    return bytes(out)


def varint(buf, i):
    """(value, next index), or (None, _) when cut off, longer than 10 bytes or >= 2**64 (section 1)."""
    value = 0
    for n in range(10):
        if i >= len(buf):
            return None, i
        b = buf[i]
        i += 1
        if n == 9 and b > 1:
            return None, i
        value |= (b & 0x7F) << (7 * n)
        if b < 0x80:
            return value, i
    return None, i


def drops_ok(body):
    """Whether a drops body decodes: at most 256 entries, none cut off, nothing after the last (section 5)."""
    n, i = varint(body, 0)
    if n is None or n > MAX_DROP_ENTRIES:
        return False
    for _ in range(n):
        if i >= len(body):
            return False
        count, i = varint(body, i + 1)
        if count is None:
            return False
    return i == len(body)


def seal_fields(body):
    """(frame count, record count, last sequence) of a seal body, or None unless it is exactly three varints."""
    fields = []
    i = 0
    for _ in range(3):
        v, i = varint(body, i)
        if v is None:
            return None
        fields.append(v)
    return tuple(fields) if i == len(body) else None


def records(payload, count):
    """[(type, body)] of a payload holding exactly `count` valid records, else None (section 5)."""
    out = []
    i = 0
    while i < len(payload):
        t = payload[i]
        length, i = varint(payload, i + 1)
        if t == 0 or length is None or length > MAX_RECORD or i + length > len(payload):
            return None
        body = bytes(payload[i:i + length])
        if t == 2 and not drops_ok(body):
            return None
        if t == 3 and seal_fields(body) is None:
            return None
        out.append((t, body))
        i += length
        if len(out) > count:
            return None
    if len(out) > 1 and any(t == 3 for t, _ in out):
        return None
    return out if len(out) == count else None


def header(b):
    """(fields, None) or (None, error) per FORMAT.md section 3, checks in the order given there."""
    if len(b) < 16:
        return None, {"have": len(b), "need": 16, "problem": "truncated"}
    if b[:8] != SEGMENT_MAGIC:
        return None, {"problem": "bad_magic"}
    version, flags, h_len = struct.unpack_from("<HHI", b, 8)
    if version != 1:
        return None, {"problem": "unsupported_version"}
    if not 60 <= h_len <= MAX_HEADER:
        return None, {"field": "header_length", "problem": "bad_length"}
    if len(b) < h_len:
        return None, {"have": len(b), "need": h_len, "problem": "truncated"}
    if crc32c(b[:h_len - 4]) != struct.unpack_from("<I", b, h_len - 4)[0]:
        return None, {"problem": "checksum_mismatch"}
    end = h_len - 4
    host_len = struct.unpack_from("<H", b, 44)[0]
    i = 48
    if host_len > MAX_HOST or i + host_len + 4 > end:
        return None, {"field": "host_name_length", "problem": "bad_length"}
    host = bytes(b[i:i + host_len]).decode("utf-8", "replace")
    i += host_len
    r_len = struct.unpack_from("<I", b, i)[0]
    i += 4
    if i + r_len + 4 > end:
        return None, {"field": "resource_length", "problem": "bad_length"}
    resource = bytes(b[i:i + r_len])
    i += r_len
    s_len = struct.unpack_from("<I", b, i)[0]
    i += 4
    if i + s_len > end:
        return None, {"field": "scope_length", "problem": "bad_length"}
    scope = bytes(b[i:i + s_len])
    seg_id, created, start, pid = struct.unpack_from("<QQQI", b, 16)
    if pid >= 1 << 31:
        pid -= 1 << 32
    return {
        "created_unix_nanos": created, "flags": flags, "header_length": h_len, "resource_hex": resource.hex(),
        "scope_hex": scope.hex(), "segment_id": "0x%016x" % seg_id, "version": 1, "writer_host": host,
        "writer_pid": pid, "writer_start_unix_nanos": start,
    }, None


def frame_at(b, o, end):
    """('incomplete',) | ('invalid', reason, skip_to) | ('valid', frame, next offset, sequence), section 4."""
    if end - o < 36:
        return ("incomplete",)
    h = b[o:o + 36]
    if h[:4] != FRAME_MAGIC:
        return ("invalid", "bad_magic", None)
    if crc32c(h[:32]) != struct.unpack_from("<I", h, 32)[0]:
        return ("invalid", "header_crc_mismatch", None)
    codec = h[4]
    if codec not in (0, 1):
        return ("invalid", "unknown_codec", None)
    if h[5] or h[6] or h[7]:
        return ("invalid", "reserved_bits_set", None)
    seq, count, u_len, s_len, p_crc = struct.unpack_from("<QIIII", h, 8)
    if u_len > MAX_PAYLOAD or s_len > u_len or (codec == 0 and s_len != u_len):
        return ("invalid", "length_beyond_limit", None)
    if end - o < 36 + s_len:
        return ("incomplete",)
    nxt = o + 36 + s_len
    stored = bytes(b[o + 36:nxt])
    if crc32c(stored) != p_crc:
        return ("invalid", "payload_crc_mismatch", nxt)
    try:
        payload = stored if codec == 0 else lz4_block(stored, u_len)
    except ValueError:
        return ("invalid", "decompression_failed", nxt)
    recs = records(payload, count)
    if recs is None:
        return ("invalid", "malformed_records", nxt)
    frame = {
        "codec": "stored" if codec == 0 else "lz4_block", "length": 36 + s_len, "offset": o,
        "record_count": count, "record_types": [t for t, _ in recs], "sequence": seq,
        "stored_crc32c": "0x%08x" % p_crc, "stored_length": s_len,
        "uncompressed_crc32c": "0x%08x" % crc32c(payload), "uncompressed_length": u_len,
    }
    if recs and recs[0][0] == 3:
        frame["seal"] = seal_fields(recs[0][1])
    return ("valid", frame, nxt, seq)


def resync(b, start, end):
    """The next offset >= start where a complete valid frame starts (section 7, rules 3 and 4)."""
    p = start
    while p < end:
        if b[p:p + 4] == FRAME_MAGIC and frame_at(b, p, end)[0] == "valid":
            return p
        p = b.find(FRAME_MAGIC, p + 1, end)
        if p < 0:
            return None
    return None


def read(path, start=None):
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        b = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        try:
            return read_bytes(os.path.basename(path), b, start)
        finally:
            if size:
                b.close()


def read_bytes(name, b, start=None):
    """The read result of segment file `name` holding `b`, per FORMAT.md sections 4 to 7, from the first frame or
    from the frame boundary `start`."""
    fields, error = header(b)
    result = {"vector": name, "header": fields, "header_error": error, "frames": [], "damages": [],
              "seal": None, "tail": {"state": "clean"}}
    if error:
        return result
    sealed = name.endswith(".seg")
    size = len(b)
    end = min(size, MAX_SEGMENT)
    o = fields["header_length"]
    from_start = start is None or start <= o
    if not from_start:
        o = start
    # Section 7: the first frame of a segment read from its start has sequence 0; from elsewhere nothing is expected.
    expected = 0 if from_start else None
    frames = records_read = 0
    while True:
        if o >= end:
            if size > MAX_SEGMENT and o <= MAX_SEGMENT:
                damage(result, MAX_SEGMENT, size - MAX_SEGMENT, "beyond_segment_limit")
            break
        attempt = frame_at(b, o, end)
        if attempt[0] == "incomplete":
            if size > MAX_SEGMENT:
                damage(result, o, size - o, "beyond_segment_limit")
            elif sealed:
                damage(result, o, end - o, "truncated_frame")
            else:
                result["tail"] = {"length": end - o, "offset": o, "state": "partial_frame"}
            break
        if attempt[0] == "invalid":
            _, reason, skip = attempt
            p = resync(b, skip if skip is not None else o + 1, end)
            stop = p if p is not None else end
            damage(result, o, stop - o, reason)
            expected = None
            o = stop
            continue
        _, frame, nxt, seq = attempt
        undamaged = not result["damages"]
        if expected is not None and seq != expected:
            damage(result, o, 0, "sequence_gap")
            undamaged = False
        expected = seq + 1
        o = nxt
        seal = frame.pop("seal", None)
        if seal is None:
            result["frames"].append(frame)
            frames += 1
            records_read += frame["record_count"]
            continue
        f_count, r_count, last = seal
        result["seal"] = {"frame_count": f_count, "last_sequence": last, "length": frame["length"],
                          "offset": frame["offset"], "record_count": r_count, "sequence": seq}
        consistent = last == (f_count - 1 if f_count else 0) and f_count == seq
        counted = from_start and undamaged
        if not consistent or (counted and (f_count != frames or r_count != records_read)):
            damage(result, frame["offset"], 0, "seal_mismatch")
        if size > o:
            damage(result, o, size - o, "data_after_seal")
        return result
    if sealed and fields["flags"] & SEAL_RECORD_FLAG:
        damage(result, size, 0, "seal_missing")
    return result


def damage(result, offset, length, reason):
    result["damages"].append({"length": length, "offset": offset, "reason": reason})


def main(argv):
    if len(argv) == 4 and argv[1] == "--start" and argv[2].isdigit() and os.path.isfile(argv[3]):
        print(json.dumps(read(argv[3], int(argv[2])), sort_keys=True))
        return 0
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print(__doc__)
        return 2
    directory = argv[1]
    checked = failed = 0
    for name in sorted(os.listdir(directory)):
        expected_path = os.path.join(directory, name + ".expected.json")
        if not os.path.exists(expected_path):
            continue
        with open(expected_path) as f:
            expected = json.load(f)
        got = read(os.path.join(directory, name))
        checked += 1
        if got != expected:
            failed += 1
            print("MISMATCH %s\n  expected %s\n  got      %s" % (name, json.dumps(expected, sort_keys=True),
                                                               json.dumps(got, sort_keys=True)))
    print("checked %d files, %d mismatches" % (checked, failed))
    return 1 if failed or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
