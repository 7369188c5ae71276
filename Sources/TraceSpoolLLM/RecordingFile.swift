package import SpoolBase
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A recording file on disk: reading it, and appending exchanges to it.
///
/// Appending rewrites the whole file atomically (a temporary file in the same directory renamed over it,
/// `FileSystem.writeAtomically`), so a reader — or a record run killed midway — always finds a complete, valid
/// recording holding every exchange appended before. Rewriting costs time proportional to the file per append,
/// which suits recordings of test runs (tens to hundreds of exchanges).
///
/// Every `RecordReplay` in one process that writes to one path (spelled the same) appends through one shared
/// `RecordingFile`, under one lock: the first exchange recorded in mode `.record` in the process starts the file
/// afresh; every later one, from any `RecordReplay` in either recording mode, is appended after the others. So
/// concurrent tests recording into one file keep each other's exchanges. Another process writing the same file at
/// the same time is not coordinated with (the last rewrite wins).
package final class RecordingFile: Sendable {
    private struct State {
        /// The blocks of the exchanges in the file, nil until the file was read or started afresh.
        var blocks: [[UInt8]]?
        /// Whether mode `.record` started the file afresh in this process.
        var startedAfresh = false
    }

    /// The file's path.
    package let path: String
    private let state = Mutex(State())
    private static let shared = Mutex<[String: RecordingFile]>([:])

    private init(path: String) { self.path = path }

    /// The one `RecordingFile` of this process for `path`.
    package static func shared(path: String) -> RecordingFile {
        shared.withLock { files in
            if let file = files[path] { return file }
            let file = RecordingFile(path: path)
            files[path] = file
            return file
        }
    }

    /// The exchanges in the file at `path`, each with its value as written; nil when there is no file.
    ///
    /// - Throws: `RecordingError` `.unreadable`, `.malformed` or `.unsupportedVersion`.
    package static func read(path: String) throws(RecordingError) -> [(exchange: RecordedExchange, value: JSONValue)]? {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(path)
        } catch {
            if error.errno == ENOENT { return nil }
            throw RecordingError(path: path, problem: .unreadable(POSIX.describe(errno: error.errno)))
        }
        return try RecordingCodec.decode(bytes, path: path)
    }

    /// Appends `exchange` and rewrites the file. In mode `.record` (`startingAfresh`) the first append of the process
    /// drops what the file held; otherwise the exchanges already in the file are kept (read once).
    ///
    /// - Throws: `RecordingError` `.unwritable` when the file cannot be written (the exchange is then not kept, and
    ///   the file holds what it held), or the errors of `read(path:)` when an existing file cannot be appended to.
    package func append(_ exchange: RecordedExchange, startingAfresh: Bool) throws(RecordingError) {
        let block = RecordingCodec.block(RecordingCodec.encode(exchange))
        try state.withLock { state throws(RecordingError) in
            if startingAfresh && !state.startedAfresh {
                state.blocks = []
                state.startedAfresh = true
            }
            var blocks: [[UInt8]]
            if let known = state.blocks {
                blocks = known
            } else {
                blocks = (try Self.read(path: path) ?? []).map { RecordingCodec.block($0.value) }
            }
            blocks.append(block)
            do throws(SystemCallError) {
                try FileSystem.writeAtomically(RecordingCodec.document(blocks: blocks), to: path, mode: 0o644)
            } catch {
                throw RecordingError(path: path, problem: .unwritable(error.description))
            }
            state.blocks = blocks
        }
    }
}
