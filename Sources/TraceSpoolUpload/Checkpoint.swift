/// A position inside a segment: the frame at `offset` (whose sequence number is `sequence`), of which the first
/// `recordsSent` records were already delivered. `recordsSent` is non-zero only when a batch ended inside a frame.
public struct Checkpoint: Sendable, Equatable, CustomStringConvertible {
    /// File offset of the next frame not completely delivered, in bytes.
    public var offset: Int
    /// The sequence number of the frame at `offset` (0 when unknown).
    public var sequence: UInt64
    /// How many records of the frame at `offset` were already delivered.
    public var recordsSent: Int

    /// Creates a position.
    public init(offset: Int, sequence: UInt64 = 0, recordsSent: Int = 0) {
        self.offset = offset
        self.sequence = sequence
        self.recordsSent = recordsSent
    }

    /// `offset=N sequence=S records=K`.
    public var description: String { "offset=\(offset) sequence=\(sequence) records=\(recordsSent)" }

    /// The checkpoint file's text: one line `tracespool-ack v1 offset=N sequence=S records=K`.
    public func encoded() -> [UInt8] { Array("tracespool-ack v1 \(description)\n".utf8) }

    /// Parses a checkpoint file's text; nil when it is not a valid v1 checkpoint.
    public init?(decoding bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let line = text.split(separator: "\n").first ?? ""
        let words = line.split(separator: " ")
        guard words.count == 5, words[0] == "tracespool-ack", words[1] == "v1" else { return nil }
        var values: [Substring: Substring] = [:]
        for word in words.dropFirst(2) {
            let kv = word.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { return nil }
            values[kv[0]] = kv[1]
        }
        guard let o = values["offset"].flatMap({ Int($0) }), o >= 0,
            let s = values["sequence"].flatMap({ UInt64($0) }),
            let r = values["records"].flatMap({ Int($0) }), r >= 0
        else { return nil }
        self.init(offset: o, sequence: s, recordsSent: r)
    }
}

/// Reads and durably writes a segment's checkpoint file `<base>.ack`.
public enum CheckpointFile {
    /// Reads the checkpoint at `path`; nil when it is missing or unreadable (reading then restarts at the first
    /// frame: duplicates are possible, loss is not).
    public static func read(_ path: String) -> Checkpoint? {
        FileSystem.readSmallFile(path).flatMap { Checkpoint(decoding: $0) }
    }

    /// Replaces the checkpoint at `path` atomically and durably (temporary file, fsync, rename, directory fsync).
    ///
    /// - Throws: `UploadError.io`; the previous checkpoint is then intact.
    public static func write(_ checkpoint: Checkpoint, to path: String) throws(UploadError) {
        try FileSystem.writeAtomically(checkpoint.encoded(), to: path)
    }
}
