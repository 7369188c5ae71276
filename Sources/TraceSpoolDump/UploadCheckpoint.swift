#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The uploader's durable checkpoint of a segment, read from `<base>.ack`: one line
/// `tracespool-ack v1 offset=N sequence=S records=K` meaning every frame before file offset N was delivered, and the
/// first K records of the frame at N too.
///
/// The dump tool only reads it (`ls` shows upload progress, `salvage` skips what was already delivered); the
/// uploader owns the file.
public struct UploadCheckpoint: Sendable, Hashable {
    /// File offset of the next frame not completely delivered, bytes.
    public var offset: Int
    /// The sequence number of the frame at `offset` (0 when unknown).
    public var sequence: UInt64
    /// How many records of the frame at `offset` were already delivered.
    public var recordsSent: Int

    /// Creates a checkpoint.
    public init(offset: Int, sequence: UInt64 = 0, recordsSent: Int = 0) {
        self.offset = offset
        self.sequence = sequence
        self.recordsSent = recordsSent
    }

    /// Parses a checkpoint file's text; nil when it is not a v1 checkpoint.
    public init?(text: String) {
        let line = text.split(separator: "\n").first ?? ""
        let words = line.split(separator: " ")
        guard words.count == 5, words[0] == "tracespool-ack", words[1] == "v1" else { return nil }
        var values: [Substring: Substring] = [:]
        for word in words.dropFirst(2) {
            let kv = word.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { return nil }
            values[kv[0]] = kv[1]
        }
        guard let o = values["offset"].flatMap({ Int($0) }), o >= 0, let s = values["sequence"].flatMap({ UInt64($0) }),
            let r = values["records"].flatMap({ Int($0) }), r >= 0
        else { return nil }
        self.init(offset: o, sequence: s, recordsSent: r)
    }

    /// Reads the checkpoint file at `path` (at most 4 KiB; symbolic links are not followed); nil when it is missing or
    /// not a valid checkpoint.
    public static func read(_ path: String) -> UploadCheckpoint? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
        guard n > 0 else { return nil }
        return UploadCheckpoint(text: String(decoding: buffer[0..<n], as: UTF8.self))
    }
}

/// `read(2)`, named apart from `UploadCheckpoint.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
