import Foundation
import SpoolBase
import SpoolFormat
import SpoolTestSupport

/// Parses a `<vector>.expected.json` file (with Foundation's JSONSerialization) into an `ExpectedRead`.
enum ExpectedReadJSON {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ data: Data) throws -> ExpectedRead {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Malformed(description: "root is not an object")
        }
        let vector = try string(root["vector"], "vector")
        var header: ExpectedRead.Header?
        if let h = root["header"] as? [String: Any] {
            guard let resource = Hex.bytes(fromHex: try string(h["resource_hex"], "resource_hex")),
                let scope = Hex.bytes(fromHex: try string(h["scope_hex"], "scope_hex")),
                let id = prefixedHex(try string(h["segment_id"], "segment_id"))
            else { throw Malformed(description: "bad hex in header") }
            header = ExpectedRead.Header(
                version: try int(h["version"], "version"), flags: try int(h["flags"], "flags"),
                headerLength: try int(h["header_length"], "header_length"),
                segmentID: id, createdUnixNanos: try uint64(h["created_unix_nanos"], "created_unix_nanos"),
                writerPid: Int32(try int(h["writer_pid"], "writer_pid")),
                writerHost: try string(h["writer_host"], "writer_host"),
                writerStartUnixNanos: try uint64(h["writer_start_unix_nanos"], "writer_start_unix_nanos"),
                resource: resource, scope: scope)
        }
        var headerError: ExpectedRead.HeaderError?
        if let e = root["header_error"] as? [String: Any] {
            headerError = ExpectedRead.HeaderError(
                problem: try string(e["problem"], "problem"), have: try? int(e["have"], "have"),
                need: try? int(e["need"], "need"), field: e["field"] as? String)
        }
        guard let frameList = root["frames"] as? [[String: Any]],
            let damageList = root["damages"] as? [[String: Any]],
            let tailObject = root["tail"] as? [String: Any]
        else { throw Malformed(description: "frames, damages or tail missing") }
        let frames = try frameList.map { f in
            guard let stored = prefixedHex(try string(f["stored_crc32c"], "stored_crc32c")),
                let uncompressed = prefixedHex(try string(f["uncompressed_crc32c"], "uncompressed_crc32c")),
                let types = f["record_types"] as? [Any]
            else { throw Malformed(description: "bad frame") }
            return ExpectedRead.Frame(
                offset: try int(f["offset"], "offset"), length: try int(f["length"], "length"),
                sequence: try uint64(f["sequence"], "sequence"),
                recordCount: try int(f["record_count"], "record_count"), codec: try string(f["codec"], "codec"),
                storedLength: try int(f["stored_length"], "stored_length"),
                uncompressedLength: try int(f["uncompressed_length"], "uncompressed_length"),
                storedCRC32C: UInt32(stored), uncompressedCRC32C: UInt32(uncompressed),
                recordTypes: try types.map { try int($0, "record_types") })
        }
        let damages = try damageList.map { d in
            ExpectedRead.DamageRegion(
                offset: try int(d["offset"], "offset"), length: try int(d["length"], "length"),
                reason: try string(d["reason"], "reason"))
        }
        let tail: SegmentTail
        switch try string(tailObject["state"], "tail.state") {
        case "clean": tail = .clean
        case "partial_frame":
            tail = .partialFrame(
                offset: try int(tailObject["offset"], "offset"), length: try int(tailObject["length"], "length"))
        case let other: throw Malformed(description: "unknown tail state \(other)")
        }
        var seal: ExpectedRead.Seal?
        if let o = root["seal"] as? [String: Any] {
            seal = ExpectedRead.Seal(
                offset: try int(o["offset"], "offset"), length: try int(o["length"], "length"),
                sequence: try uint64(o["sequence"], "sequence"),
                frameCount: try uint64(o["frame_count"], "frame_count"),
                recordCount: try uint64(o["record_count"], "record_count"),
                lastSequence: try uint64(o["last_sequence"], "last_sequence"))
        }
        return ExpectedRead(
            vector: vector, header: header, headerError: headerError, frames: frames, damages: damages, tail: tail,
            seal: seal)
    }

    /// Parses `0x`-prefixed hex digits, as the files write ids and CRCs.
    private static func prefixedHex(_ text: String) -> UInt64? {
        guard text.hasPrefix("0x") else { return nil }
        return Hex.parseUInt64(text.utf8.dropFirst(2))
    }

    private static func string(_ value: Any?, _ key: String) throws -> String {
        guard let s = value as? String else { throw Malformed(description: "\(key) is not a string") }
        return s
    }

    private static func int(_ value: Any?, _ key: String) throws -> Int {
        guard let n = value as? NSNumber else { throw Malformed(description: "\(key) is not a number") }
        return n.intValue
    }

    private static func uint64(_ value: Any?, _ key: String) throws -> UInt64 {
        guard let n = value as? NSNumber else { throw Malformed(description: "\(key) is not a number") }
        return n.uint64Value
    }
}
