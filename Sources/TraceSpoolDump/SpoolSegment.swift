public import SpoolFormat

/// One segment file the dump tool looks at: from a spool directory listing or given directly.
public struct SpoolSegment: Sendable, Hashable {
    /// The full path.
    public var path: String
    /// The file name (last path component).
    public var fileName: String
    /// The parsed name; nil for a segment file given directly under a non-standard name.
    public var name: SegmentName?
    /// The file size in bytes when listed.
    public var sizeBytes: Int
    /// Live, abandoned or sealed.
    public var state: SegmentState
    /// Whether an uploader holds this segment's `<base>.lease` lock: it is being sent right now.
    public var uploading: Bool
    /// The uploader's checkpoint (`<base>.ack`), when there is one: how far the segment was delivered.
    public var checkpoint: SegmentCheckpoint?

    /// The name without extension (the key of the companion files: `checkpointFileName`, `leaseFileName`,
    /// `salvageMarkerFileName`).
    public var base: String {
        if let name { return name.base }
        if let dot = fileName.lastIndex(of: ".") { return String(fileName[..<dot]) }
        return fileName
    }

    /// The uploader's checkpoint file of this segment, `<base>.ack`.
    public var checkpointFileName: String { SegmentName.checkpointFileName(base: base) }

    /// The uploader's lease file of this segment, `<base>.lease`.
    public var leaseFileName: String { SegmentName.leaseFileName(base: base) }

    /// The salvage marker of this segment, `<base>.salvaged`.
    public var salvageMarkerFileName: String { SegmentName.salvageMarkerFileName(base: base) }

    /// `live`, `abandoned`, `sealed`, with `+uploading` when an uploader holds its lease.
    public var stateLabel: String { uploading ? "\(state.rawValue)+uploading" : state.rawValue }

    /// Creates a segment description.
    public init(
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
