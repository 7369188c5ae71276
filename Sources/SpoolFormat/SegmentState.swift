/// The life-cycle state of a segment (`Spool/FORMAT.md` §2.1, §2.2).
public enum SegmentState: String, Sendable, Hashable {
    /// `.open` and its writer holds the segment's lock: being written right now.
    case live
    /// `.open` but no writer holds its lock: the writer died (or gave the segment up); readable up to its last good
    /// frame, and a torn last frame is not damage.
    case abandoned
    /// `.seg`: complete and immutable.
    case sealed

    /// The state of the segment file at `path`: `.sealed` unless `isOpen`; an open segment is `.live` while its
    /// writer holds its lock (probed now with a non-blocking shared `flock`, released at once: `Spool/FORMAT.md`
    /// §2.2), else `.abandoned`. A file that cannot be opened probes as `.abandoned` when `isOpen`.
    public init(probing path: String, isOpen: Bool) {
        self = isOpen ? (SpoolDirectory.writerHoldsLock(path) ? .live : .abandoned) : .sealed
    }
}
