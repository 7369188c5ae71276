import SpoolBase
package import SpoolFormat

/// One segment file the dump tool looks at: from a spool directory listing or given directly.
package struct SpoolSegment: Sendable, Hashable {
    /// The full path.
    package var path: String
    /// The file name (last path component).
    package var fileName: String
    /// The parsed name; nil for a segment file given directly under a non-standard name.
    package var name: SegmentName?
    /// The file size in bytes when listed.
    package var sizeBytes: Int
    /// Live, abandoned or sealed.
    package var state: SegmentState
    /// Whether an uploader holds this segment's `<base>.lease` lock: it is being sent right now.
    package var uploading: Bool
    /// The uploader's checkpoint (`<base>.ack`), when there is one: how far the segment was delivered.
    package var checkpoint: SegmentCheckpoint?
    /// The file's owner (user id), when listed.
    package var owner: UInt32?
    /// The owner of the spool directory the segment was listed in, when known.
    package var spoolOwner: UInt32?

    /// Whether the file belongs to another user than the spool directory's owner: `tracespool-upload` refuses to ship
    /// it (`Spool/FORMAT.md`, "Permissions and ownership").
    package var hasForeignOwner: Bool {
        guard let owner, let spoolOwner else { return false }
        return owner != spoolOwner
    }

    /// A warning for a segment with a foreign owner (`hasForeignOwner`), nil for any other.
    package var foreignOwnerNote: String? {
        guard hasForeignOwner, let owner, let spoolOwner else { return nil }
        return "\(fileName): owned by \(POSIX.userName(of: owner)), not by the spool directory's owner "
            + "(\(POSIX.userName(of: spoolOwner))); tracespool-upload refuses to ship it (another user may have "
            + "planted it)"
    }

    /// The name without extension (the key of the companion files: `checkpointFileName`, `leaseFileName`,
    /// `salvageMarkerFileName`).
    package var base: String { name?.base ?? SegmentName.base(ofFileName: fileName) }

    /// The uploader's checkpoint file of this segment, `<base>.ack`.
    package var checkpointFileName: String { SegmentName.checkpointFileName(base: base) }

    /// The uploader's lease file of this segment, `<base>.lease`.
    package var leaseFileName: String { SegmentName.leaseFileName(base: base) }

    /// The salvage marker of this segment, `<base>.salvaged`.
    package var salvageMarkerFileName: String { SegmentName.salvageMarkerFileName(base: base) }

    /// `live`, `abandoned`, `sealed`, with `+uploading` when an uploader holds its lease.
    package var stateLabel: String { uploading ? "\(state.rawValue)+uploading" : state.rawValue }

    /// Creates a segment description.
    package init(
        path: String, fileName: String, name: SegmentName?, sizeBytes: Int, state: SegmentState, uploading: Bool,
        checkpoint: SegmentCheckpoint? = nil
    ) {
        self.checkpoint = checkpoint
        self.path = path
        self.fileName = fileName
        self.name = name
        self.sizeBytes = sizeBytes
        self.state = state
        self.uploading = uploading
    }
}
