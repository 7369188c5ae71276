import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An uploader's durable progress through one segment, kept in the file `<base>.ack` beside the segment
/// (see `Spool/FORMAT.md`, "Files of other tools"): every frame before file offset `offset` was delivered, and the
/// first `recordsSent` records of the frame at `offset` too.
///
/// The file (`SegmentName.checkpointFileName`) holds one line, `tracespool-ack v1 offset=N sequence=S records=K`.
/// The uploader writes it with `write(to:)`, atomically and durably; other tools only read it.
public struct SegmentCheckpoint: Sendable, Hashable, CustomStringConvertible {
    /// File offset of the next frame not completely delivered, in bytes.
    public var offset: Int
    /// The sequence number of the frame at `offset` (0 when unknown).
    public var sequence: UInt64
    /// How many records of the frame at `offset` were already delivered (non-zero only when a batch ended inside a
    /// frame).
    public var recordsSent: Int

    /// Creates a checkpoint.
    package init(offset: Int, sequence: UInt64 = 0, recordsSent: Int = 0) {
        self.offset = offset
        self.sequence = sequence
        self.recordsSent = recordsSent
    }

    /// `offset=N sequence=S records=K`.
    public var description: String { "offset=\(offset) sequence=\(sequence) records=\(recordsSent)" }

    /// The checkpoint file's text: `tracespool-ack v1 offset=N sequence=S records=K` and a newline.
    package func encoded() -> [UInt8] { Array("tracespool-ack v1 \(description)\n".utf8) }

    /// Parses a checkpoint file's text; nil when it is not a valid v1 checkpoint.
    package init?(decoding bytes: some Collection<UInt8>) {
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

    /// Replaces the checkpoint file at `path` with this checkpoint, atomically and durably: a temporary file
    /// `.<name>.tmp-<pid>-<random>` beside it (`SpoolFile.checkpointTemporary`), `fsync`, `rename`, directory `fsync`.
    /// A reader sees the previous checkpoint or this one, never a mixture.
    ///
    /// - Throws: `SpoolError.io` naming the failed call; the previous checkpoint is then intact.
    package func write(to path: String) throws(SpoolError) {
        do throws(SystemCallError) {
            try FileSystem.writeAtomically(encoded(), to: path)
        } catch {
            throw SpoolError(error)
        }
    }

    /// Reads the checkpoint file at `path` (at most 4 KiB; symbolic links are not followed); nil when it is missing,
    /// unreadable or not a valid checkpoint — a reader then starts at the first frame (duplicates possible, no loss).
    public static func read(_ path: String) -> SegmentCheckpoint? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { POSIX.closeQuietly(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let result = buffer.withUnsafeMutableBytes { POSIX.preadFully(fd, $0, at: 0) }
        guard case .success(let n) = result, n > 0 else { return nil }
        return SegmentCheckpoint(decoding: buffer[0..<n])
    }
}
