/// A leftover file that `SpoolDirectory.sweepLeftovers(nowUnixSeconds:minimumAgeSeconds:)` removed.
package struct SweptFile: Sendable, Hashable {
    /// Why the file was a leftover.
    package enum Kind: Sendable, Hashable {
        /// A checkpoint `<base>.ack` whose segment is gone: an uploader died between deleting the segment and its
        /// companions.
        case orphanCheckpoint
        /// A lease file `<base>.lease` whose segment is gone (same cause).
        case orphanLease
        /// A writer's unfinished `.<base>.tmp`, old and unlocked: the writer died while creating the segment.
        case segmentTemporary
        /// An uploader's unfinished `.<base>.ack.tmp-<pid>-<random>`, old: it died while writing a checkpoint.
        case checkpointTemporary
        /// An invocation marker `invocation-<id>.done`, old: nobody acted on it (an extension in periodic mode, an
        /// invocation that timed out, an earlier environment on the same `/tmp`).
        case staleInvocationMarker
    }

    /// The file's name in the spool directory.
    package var fileName: String
    /// Why it was removed.
    package var kind: Kind

    /// Creates a description of a removed file.
    package init(fileName: String, kind: Kind) {
        self.fileName = fileName
        self.kind = kind
    }
}
