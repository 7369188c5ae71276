import SpoolBase
package import SpoolFormat

/// What reading a golden vector must yield: the segment header (or why it is unreadable), the frames, the damaged
/// regions and the tail. Serialised as `<vector>.expected.json` (see `jsonText`).
package struct ExpectedRead: Sendable, Equatable {
    /// The decoded segment header fields.
    package struct Header: Sendable, Equatable {
        /// The format version.
        package var version: Int
        /// The flag bits.
        package var flags: Int
        /// The header length in bytes (the offset of the first frame).
        package var headerLength: Int
        /// The segment id.
        package var segmentID: UInt64
        /// The creation time, Unix nanoseconds.
        package var createdUnixNanos: UInt64
        /// The writer pid.
        package var writerPid: Int32
        /// The writer host name.
        package var writerHost: String
        /// The writer start time, Unix nanoseconds.
        package var writerStartUnixNanos: UInt64
        /// The encoded OTLP Resource bytes.
        package var resource: [UInt8]
        /// The encoded OTLP InstrumentationScope bytes.
        package var scope: [UInt8]

        /// Creates the expectation from a header and its encoded length.
        package init(_ header: SegmentHeader, length: Int) {
            version = Int(header.version)
            flags = Int(header.flags.rawValue)
            headerLength = length
            segmentID = header.segmentID
            createdUnixNanos = header.createdUnixNanos
            writerPid = header.writer.pid
            writerHost = header.writer.host
            writerStartUnixNanos = header.writer.startUnixNanos
            resource = header.resource
            scope = header.scope
        }

        /// Creates the expectation from its fields.
        package init(
            version: Int, flags: Int, headerLength: Int, segmentID: UInt64, createdUnixNanos: UInt64, writerPid: Int32,
            writerHost: String, writerStartUnixNanos: UInt64, resource: [UInt8], scope: [UInt8]
        ) {
            self.version = version
            self.flags = flags
            self.headerLength = headerLength
            self.segmentID = segmentID
            self.createdUnixNanos = createdUnixNanos
            self.writerPid = writerPid
            self.writerHost = writerHost
            self.writerStartUnixNanos = writerStartUnixNanos
            self.resource = resource
            self.scope = scope
        }
    }

    /// Why the header is unreadable: a stable problem code plus the byte counts of a truncation.
    package struct HeaderError: Sendable, Equatable {
        /// `truncated`, `bad_magic`, `unsupported_version`, `bad_length` or `checksum_mismatch`.
        package var problem: String
        /// For `truncated`: the bytes present.
        package var have: Int?
        /// For `truncated`: the bytes needed.
        package var need: Int?
        /// For `bad_length`: the length field out of range (`SegmentHeader.LengthField`, e.g. `host_name_length`).
        package var field: String?

        /// Creates a header error expectation.
        package init(problem: String, have: Int? = nil, need: Int? = nil, field: String? = nil) {
            self.problem = problem
            self.have = have
            self.need = need
            self.field = field
        }

        /// The expectation matching a reader's `SegmentHeader.Problem`.
        package init(_ problem: SegmentHeader.Problem) {
            switch problem {
            case .truncated(let have, let need): self.init(problem: "truncated", have: have, need: need)
            case .badMagic: self.init(problem: "bad_magic")
            case .unsupportedVersion: self.init(problem: "unsupported_version")
            case .badLength(let field, _): self.init(problem: "bad_length", field: field.rawValue)
            case .checksumMismatch: self.init(problem: "checksum_mismatch")
            }
        }
    }

    /// One valid frame.
    package struct Frame: Sendable, Equatable {
        /// The file offset of the frame header.
        package var offset: Int
        /// The frame's bytes on disk, header included.
        package var length: Int
        /// The sequence number.
        package var sequence: UInt64
        /// The record count.
        package var recordCount: Int
        /// `stored` or `lz4_block`.
        package var codec: String
        /// The stored payload length in bytes.
        package var storedLength: Int
        /// The decompressed payload length in bytes.
        package var uncompressedLength: Int
        /// CRC-32C of the stored payload bytes: the frame header's payload CRC (`stored_crc32c`).
        package var storedCRC32C: UInt32
        /// CRC-32C of the decompressed payload, the records (`uncompressed_crc32c`; not stored in the file).
        package var uncompressedCRC32C: UInt32
        /// The type byte of each record, in order.
        package var recordTypes: [Int]

        /// Creates a frame expectation.
        package init(
            offset: Int, length: Int, sequence: UInt64, recordCount: Int, codec: String, storedLength: Int,
            uncompressedLength: Int, storedCRC32C: UInt32, uncompressedCRC32C: UInt32, recordTypes: [Int]
        ) {
            self.offset = offset
            self.length = length
            self.sequence = sequence
            self.recordCount = recordCount
            self.codec = codec
            self.storedLength = storedLength
            self.uncompressedLength = uncompressedLength
            self.storedCRC32C = storedCRC32C
            self.uncompressedCRC32C = uncompressedCRC32C
            self.recordTypes = recordTypes
        }

        /// The codec's name in the JSON files.
        package static func codecName(_ codec: FrameCodec) -> String {
            switch codec {
            case .stored: "stored"
            case .lz4Block: "lz4_block"
            }
        }
    }

    /// One damaged region.
    package struct DamageRegion: Sendable, Equatable {
        /// The file offset where it starts.
        package var offset: Int
        /// Its length in bytes.
        package var length: Int
        /// `Damage.Reason.code`.
        package var reason: String

        /// Creates a damage expectation.
        package init(offset: Int, length: Int, reason: String) {
            self.offset = offset
            self.length = length
            self.reason = reason
        }
    }

    /// The seal frame a reader must find (`SegmentSeal`).
    package struct Seal: Sendable, Equatable {
        /// The file offset of the seal frame.
        package var offset: Int
        /// The seal frame's bytes, header included.
        package var length: Int
        /// The seal frame's sequence number.
        package var sequence: UInt64
        /// The seal record's frame count.
        package var frameCount: UInt64
        /// The seal record's record count.
        package var recordCount: UInt64
        /// The seal record's last sequence.
        package var lastSequence: UInt64

        /// Creates a seal expectation.
        package init(
            offset: Int, length: Int, sequence: UInt64, frameCount: UInt64, recordCount: UInt64, lastSequence: UInt64
        ) {
            self.offset = offset
            self.length = length
            self.sequence = sequence
            self.frameCount = frameCount
            self.recordCount = recordCount
            self.lastSequence = lastSequence
        }

        /// The expectation matching a reader's seal.
        package init(_ seal: SegmentSeal) {
            self.init(
                offset: seal.offset, length: seal.length, sequence: seal.sequence, frameCount: seal.record.frameCount,
                recordCount: seal.record.recordCount, lastSequence: seal.record.lastSequence)
        }
    }

    /// The vector's file name.
    package var vector: String
    /// The header, when readable.
    package var header: Header?
    /// Why the header is unreadable, otherwise.
    package var headerError: HeaderError?
    /// The valid frames, in order.
    package var frames: [Frame]
    /// The damaged regions, in order.
    package var damages: [DamageRegion]
    /// The tail after the last frame (`.clean` when the header is unreadable).
    package var tail: SegmentTail
    /// The seal frame, when one was read.
    package var seal: Seal?

    /// Creates an expectation.
    package init(
        vector: String, header: Header?, headerError: HeaderError?, frames: [Frame], damages: [DamageRegion],
        tail: SegmentTail, seal: Seal? = nil
    ) {
        self.seal = seal
        self.vector = vector
        self.header = header
        self.headerError = headerError
        self.frames = frames
        self.damages = damages
        self.tail = tail
    }

    /// The JSON text of `<vector>.expected.json`: keys sorted, two-space indentation, 64-bit ids and CRCs as hex
    /// strings, byte strings as lower-case hex.
    package var jsonText: String {
        var root: [(String, JSONValue)] = [("vector", .string(vector))]
        if let h = header {
            root.append(
                (
                    "header",
                    Self.object([
                        ("created_unix_nanos", .integer(h.createdUnixNanos)),
                        ("flags", .integer(h.flags)),
                        ("header_length", .integer(h.headerLength)),
                        ("resource_hex", .string(Hex.string(of: h.resource))),
                        ("scope_hex", .string(Hex.string(of: h.scope))),
                        ("segment_id", .string("0x" + Hex.string(h.segmentID, digits: 16))),
                        ("version", .integer(h.version)),
                        ("writer_host", .string(h.writerHost)),
                        ("writer_pid", .integer(h.writerPid)),
                        ("writer_start_unix_nanos", .integer(h.writerStartUnixNanos)),
                    ])
                ))
        } else {
            root.append(("header", .null))
        }
        if let e = headerError {
            var fields: [(String, JSONValue)] = []
            if let field = e.field { fields.append(("field", .string(field))) }
            if let have = e.have { fields.append(("have", .integer(have))) }
            if let need = e.need { fields.append(("need", .integer(need))) }
            fields.append(("problem", .string(e.problem)))
            root.append(("header_error", Self.object(fields)))
        } else {
            root.append(("header_error", .null))
        }
        root.append(
            (
                "frames",
                .array(
                    frames.map { f in
                        Self.object([
                            ("codec", .string(f.codec)),
                            ("length", .integer(f.length)),
                            ("offset", .integer(f.offset)),
                            ("record_count", .integer(f.recordCount)),
                            ("record_types", .array(f.recordTypes.map { .integer($0) })),
                            ("sequence", .integer(f.sequence)),
                            ("stored_crc32c", .string("0x" + Hex.string(UInt64(f.storedCRC32C), digits: 8))),
                            ("stored_length", .integer(f.storedLength)),
                            (
                                "uncompressed_crc32c",
                                .string("0x" + Hex.string(UInt64(f.uncompressedCRC32C), digits: 8))
                            ),
                            ("uncompressed_length", .integer(f.uncompressedLength)),
                        ])
                    })
            ))
        root.append(
            (
                "damages",
                .array(
                    damages.map { d in
                        Self.object([
                            ("length", .integer(d.length)),
                            ("offset", .integer(d.offset)),
                            ("reason", .string(d.reason)),
                        ])
                    })
            ))
        if let seal {
            root.append(
                (
                    "seal",
                    Self.object([
                        ("frame_count", .integer(seal.frameCount)), ("last_sequence", .integer(seal.lastSequence)),
                        ("length", .integer(seal.length)), ("offset", .integer(seal.offset)),
                        ("record_count", .integer(seal.recordCount)), ("sequence", .integer(seal.sequence)),
                    ])
                ))
        } else {
            root.append(("seal", .null))
        }
        switch tail {
        case .clean: root.append(("tail", Self.object([("state", .string("clean"))])))
        case .partialFrame(let offset, let length):
            root.append(
                (
                    "tail",
                    Self.object([
                        ("length", .integer(length)), ("offset", .integer(offset)),
                        ("state", .string("partial_frame")),
                    ])
                ))
        }
        root.sort { $0.0 < $1.0 }
        var json = JSONWriter()
        json.writePretty(Self.object(root))
        return json.text + "\n"
    }

    /// A JSON object of `members` in their order.
    private static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(members.map { JSONMember($0.0, $0.1) })
    }
}
