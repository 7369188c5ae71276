import SpoolBase
public import SpoolFormat

/// A position inside a segment: the frame at `offset` (whose sequence number is `sequence`), of which the first
/// `recordsSent` records were already delivered. The format of its `<base>.ack` file is SpoolFormat's.
public typealias Checkpoint = SegmentCheckpoint

/// Reads and durably writes a segment's checkpoint file `<base>.ack`.
public enum CheckpointFile {
    /// Reads the checkpoint at `path`; nil when it is missing or unreadable (reading then restarts at the first
    /// frame: duplicates are possible, loss is not).
    public static func read(_ path: String) -> Checkpoint? { Checkpoint.read(path) }

    /// Replaces the checkpoint at `path` atomically and durably (temporary file, fsync, rename, directory fsync).
    ///
    /// - Throws: `UploadError.io`; the previous checkpoint is then intact.
    public static func write(_ checkpoint: Checkpoint, to path: String) throws(UploadError) {
        do throws(SystemCallError) {
            try FileSystem.writeAtomically(checkpoint.encoded(), to: path)
        } catch {
            throw UploadError(error)
        }
    }
}
