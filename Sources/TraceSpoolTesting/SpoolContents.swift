import OTLPWire
public import SpoolFormat
import Tracing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything a spool directory holds, read back: the spans, the spans its writers dropped, and whatever could not
/// be read. A test asserts `isIntact` ("nothing dropped, damaged or unreadable") and then on the spans.
///
/// Reading uses the spool format's reader (`SegmentReader`) on every segment, `.open` and `.seg`, oldest first: what
/// an uploader would send. It never modifies the directory and is safe beside live writers, but it reads only what
/// is on disk: flush a tracer first (`TemporarySpool.contents()` does that for the tracers it made). A partial
/// frame at the end of an open segment (a writer is appending it, or was killed while appending it) is not read and
/// is not damage, as the format says.
public struct SpoolContents: Sendable {
    /// The spans of every span record, in spool order: segment by segment (oldest first), frame by frame, record
    /// by record. Spans ended on one thread keep the order in which they ended; spans ended on different threads may
    /// interleave in any order.
    public var spans: [RecordedSpan]
    /// The sum of every drop record: spans the writers lost (queue full, disk cap, I/O error, record too large,
    /// after shutdown) and counted into the spool.
    public var drops: DropCounts
    /// The regions the reader skipped in readable segments (damaged or truncated frames, garbage, sequence gaps),
    /// in spool order.
    public var damages: [Damage]
    /// The segments and records that could not be read at all, in spool order.
    public var unreadable: [Unreadable]

    /// Whether nothing was lost: no drop records, no damage, nothing unreadable.
    public var isIntact: Bool { drops.isEmpty && damages.isEmpty && unreadable.isEmpty }

    /// A segment or record the reading could not use.
    public struct Unreadable: Sendable, Equatable, CustomStringConvertible {
        /// The segment file's path.
        public var segment: String
        /// The file offset of the frame holding the record; nil when the problem is the segment's (its header, or
        /// the file cannot be opened or read).
        public var frameOffset: Int?
        /// What is wrong.
        public var problem: String

        /// Creates a report.
        public init(segment: String, frameOffset: Int?, problem: String) {
            self.segment = segment
            self.frameOffset = frameOffset
            self.problem = problem
        }

        /// `segment@offset: problem` (`segment: problem` for a segment's problem).
        public var description: String {
            frameOffset.map { "\(segment)@\($0): \(problem)" } ?? "\(segment): \(problem)"
        }
    }

    /// Reads every segment of the spool directory at `directory`.
    ///
    /// A segment whose header is unreadable, whose resource does not decode or that cannot be opened, and a span or
    /// drop record that does not decode, are listed in `unreadable`; the rest is read. Records of types other than
    /// span and drops are skipped, as the format says. A segment deleted while reading is left out.
    /// The directory is only read: any owner and any permissions are accepted and nothing is changed.
    /// - Throws: `SpoolError` when the directory cannot be listed: it is missing, not a directory, or a symbolic link.
    public init(reading directory: String) throws(SpoolError) {
        spans = []
        drops = DropCounts()
        damages = []
        unreadable = []
        for segment in try SpoolDirectory(path: directory, access: .inspect).segments() {
            read(segment.path)
        }
    }

    private mutating func read(_ path: String) {
        let reader: SegmentReader
        do {
            reader = try SegmentReader(path: path)
        } catch {
            if case .io(_, _, let e) = error, e == ENOENT { return }
            unreadable.append(Unreadable(segment: path, frameOffset: nil, problem: error.description))
            return
        }
        var resource = SpanAttributes()
        do {
            resource = RecordedSpan.spanAttributes(try OTLPResource(decoding: reader.header.resource).attributes)
        } catch {
            unreadable.append(Unreadable(segment: path, frameOffset: nil, problem: "resource: \(error)"))
        }
        while let event = reader.nextEvent() {
            switch event {
            case .damage(let damage): damages.append(damage)
            case .frame(let frame):
                for (index, record) in frame.records.enumerated() {
                    if record.type == .span {
                        do {
                            var span = try RecordedSpan(decoding: record.body)
                            span.resource = resource
                            spans.append(span)
                        } catch {
                            unreadable.append(
                                Unreadable(
                                    segment: path, frameOffset: frame.offset, problem: "record \(index): \(error)"))
                        }
                    } else if record.type == .drops {
                        if let counts = DropCounts(decoding: record.body) {
                            drops.add(counts)
                        } else {
                            unreadable.append(
                                Unreadable(
                                    segment: path, frameOffset: frame.offset,
                                    problem: "record \(index): malformed drops record"))
                        }
                    }
                }
            }
        }
    }

    // MARK: Lookups

    /// The first span named `name` in spool order, or nil.
    public func span(named name: String) -> RecordedSpan? {
        spans.first { $0.operationName == name }
    }

    /// Every span named `name`, in spool order.
    public func spans(named name: String) -> [RecordedSpan] {
        spans.filter { $0.operationName == name }
    }

    /// The spans whose parent is `parent` (same trace, parent span id = its span id), in spool order.
    public func children(of parent: RecordedSpan) -> [RecordedSpan] {
        spans.filter { $0.traceID == parent.traceID && $0.parentSpanID == parent.spanID }
    }
}
