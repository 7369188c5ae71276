/// The life-cycle state of a segment as the dump tool sees it.
public enum SegmentState: String, Sendable, Hashable {
    /// `.open` and its writer holds the segment's lock: being written right now.
    case live
    /// `.open` but no writer holds its lock: the writer died; readable up to its last good frame.
    case abandoned
    /// `.seg`: complete and immutable.
    case sealed
}
