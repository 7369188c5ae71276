/// The entries of a git index file (`.git/index`, versions 2, 3 and 4), parsed with every offset checked against
/// the file's length: a truncated or garbled index throws, never traps. Extensions (cache tree, untracked cache...)
/// and the trailing checksum are not read.
struct GitWorkingTreeIndex: Sendable {
    /// One tracked path.
    struct Entry: Sendable, Equatable {
        /// The path relative to the working tree's root, `/`-separated.
        var path: String
        /// The file mode git recorded: `0o100644`, `0o100755`, `0o120000` (symbolic link), `0o160000` (submodule).
        var mode: UInt32
        /// The size in bytes, truncated to 32 bits as git stores it.
        var size: UInt32
        /// The modification time, seconds since the epoch (32 bits, as stored).
        var modifiedSeconds: UInt32
        /// The nanoseconds of the modification time.
        var modifiedNanoseconds: UInt32
        /// The blob id.
        var objectID: [UInt8]
        /// The merge stage: 0 normally, 1 to 3 for the sides of an unresolved conflict.
        var stage: Int
        /// The `skip-worktree` bit (sparse checkout): the file is not expected in the working tree.
        var skipsWorktree: Bool
        /// The `intent-to-add` bit (`git add -N`).
        var isIntentToAdd: Bool
    }

    /// The index format version (2, 3 or 4).
    var version: Int
    /// The entries, in index order (sorted by path, then stage).
    var entries: [Entry]

    /// The most entries accepted; an index claiming more is malformed.
    static let maximumEntries = 10_000_000

    /// Parses index bytes whose object ids are `objectIDBytes` long (20 for SHA-1, 32 for SHA-256).
    ///
    /// - Throws: `GitWorkingTreeError.malformed` (file `index`) naming what is wrong.
    init(parsing bytes: [UInt8], objectIDBytes: Int = 20) throws(GitWorkingTreeError) {
        func malformed(_ problem: String) -> GitWorkingTreeError { .malformed("index", problem) }
        func u32(_ at: Int) -> UInt32? {
            guard at >= 0, at <= bytes.count - 4 else { return nil }
            return UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8
                | UInt32(bytes[at + 3])
        }
        func u16(_ at: Int) -> UInt16? {
            guard at >= 0, at <= bytes.count - 2 else { return nil }
            return UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
        }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("DIRC".utf8) else { throw malformed("no DIRC signature") }
        guard let version = u32(4), (2...4).contains(version), let count = u32(8) else {
            throw malformed("unsupported version")
        }
        guard Int(count) <= Self.maximumEntries, Int(count) <= bytes.count / 40 else {
            throw malformed("\(count) entries cannot fit \(bytes.count) bytes")
        }
        self.version = Int(version)
        var entries: [Entry] = []
        entries.reserveCapacity(Int(count))
        var position = 12
        var previousPath: [UInt8] = []
        let flagsOffset = 40 + objectIDBytes
        for index in 0..<Int(count) {
            let start = position
            guard let mtime = u32(start + 8), let mtimeNanos = u32(start + 12), let mode = u32(start + 24),
                let size = u32(start + 36), let flags = u16(start + flagsOffset)
            else { throw malformed("entry \(index) beyond the end") }
            var cursor = start + flagsOffset + 2
            var extended: UInt16 = 0
            if version >= 3, flags & 0x4000 != 0 {
                guard let extra = u16(cursor) else { throw malformed("entry \(index) beyond the end") }
                extended = extra
                cursor += 2
            }
            var path: [UInt8]
            if version == 4 {
                // A varint (git's offset encoding): how many bytes of the previous path to drop; then the rest.
                guard cursor < bytes.count else { throw malformed("entry \(index) prefix") }
                var byte = bytes[cursor]
                cursor += 1
                var strip = Int(byte & 0x7F)
                while byte & 0x80 != 0 {
                    guard cursor < bytes.count, strip < 1 << 40 else { throw malformed("entry \(index) prefix") }
                    byte = bytes[cursor]
                    cursor += 1
                    strip = ((strip + 1) << 7) + Int(byte & 0x7F)
                }
                guard strip <= previousPath.count else { throw malformed("entry \(index) strips too much") }
                guard let end = bytes[cursor...].firstIndex(of: 0) else { throw malformed("entry \(index) path") }
                path = Array(previousPath.prefix(previousPath.count - strip)) + bytes[cursor..<end]
                position = end + 1
            } else {
                guard cursor < bytes.count, let end = bytes[cursor...].firstIndex(of: 0) else {
                    throw malformed("entry \(index) path")
                }
                path = Array(bytes[cursor..<end])
                // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
                position = start + ((cursor - start + path.count + 8) & ~7)
                guard position <= bytes.count else { throw malformed("entry \(index) padding beyond the end") }
            }
            previousPath = path
            entries.append(
                Entry(
                    path: String(decoding: path, as: UTF8.self), mode: mode, size: size, modifiedSeconds: mtime,
                    modifiedNanoseconds: mtimeNanos,
                    objectID: Array(bytes[(start + 40)..<(start + 40 + objectIDBytes)]), stage: Int(flags >> 12) & 3,
                    skipsWorktree: extended & 0x4000 != 0, isIntentToAdd: extended & 0x2000 != 0))
        }
        self.entries = entries
    }
}
