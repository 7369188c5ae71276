public import SpoolFormat

/// The uploader's durable checkpoint of a segment, read from `<base>.ack` (`ls` shows upload progress, `salvage`
/// skips what was already delivered); the uploader owns the file. See `SegmentCheckpoint`.
public typealias UploadCheckpoint = SegmentCheckpoint
