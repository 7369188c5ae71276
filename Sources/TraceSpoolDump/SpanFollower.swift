import SpoolFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `spans --follow`: prints spans as writers append them, like `tail -f`.
///
/// Each poll lists the spool again (discovering new segments) and asks every reader of a segment that may still grow
/// for frames appended since (the reader re-checks the file size). A segment's reader is kept across its rename from
/// `.open` to `.seg` (it reads the same file) and dropped once the segment is sealed and read to its end, so open
/// descriptors stay bounded by the number of open segments. Read-only; safe beside writers and uploaders.
package final class SpanFollower {
    private struct Entry {
        var reader: SegmentReader
        var segment: SpoolSegment
    }

    /// The input followed.
    package let input: SpoolInput
    /// Which spans to print.
    package let filter: SpanFilter
    /// Print OTLP/JSON lines instead of text lines.
    package let json: Bool
    /// Skip what is already in the spool at the first poll; print only spans appended later (`--new-only`).
    package let skipExisting: Bool
    private var primed = false
    private var readers: [String: Entry] = [:]
    private var finished: Set<String> = []
    /// Damage and other problems seen so far.
    package private(set) var diagnostics = DumpDiagnostics()
    /// Spans printed so far.
    package private(set) var printed = 0

    /// Creates a follower; nothing is read until `poll`.
    package init(input: SpoolInput, filter: SpanFilter = .all, json: Bool = false, skipExisting: Bool = false) {
        self.input = input
        self.filter = filter
        self.json = json
        self.skipExisting = skipExisting
    }

    /// Reads and prints everything appended since the last poll (everything readable on the first, unless
    /// `skipExisting`).
    ///
    /// - Parameter limit: stop once this many spans were printed in all (nil: no limit).
    /// - Returns: the number of spans printed by this poll.
    @discardableResult
    package func poll(limit: Int? = nil, to out: inout some TextOutputStream) -> Int {
        let before = printed
        let emitting = primed || !skipExisting
        defer { primed = true }
        // A listing that fails (e.g. a transient error) changes nothing: known readers go on, nothing is forgotten.
        let listing = try? input.segments()
        let listingOK = listing != nil
        var listed: Set<String> = []
        for segment in listing ?? [] {
            listed.insert(segment.base)
            if finished.contains(segment.base) { continue }
            if var entry = readers[segment.base] {
                entry.segment = segment
                readers[segment.base] = entry
            } else {
                var opened = segment
                switch SpoolScanner.open(&opened) {
                case .success(let reader): readers[segment.base] = Entry(reader: reader, segment: opened)
                case .failure(let error):
                    // A segment removed before it could be opened (uploaded) is not a problem.
                    if case .io(_, _, let code) = error, code == ENOENT {
                    } else {
                        diagnostics.note(.segmentUnreadable(segment, error))
                    }
                    finished.insert(segment.base)
                    continue
                }
            }
        }
        // Forget finished segments that are gone (uploaded), so a long follow stays bounded.
        if listingOK, input.singleFile == nil { finished.formIntersection(listed) }
        let scanner = SpoolScanner(segments: [])
        let renderer = SpanLineRenderer()
        for base in readers.keys.sorted() {
            guard let entry = readers[base] else { continue }
            var stop = false
            while !stop, let event = entry.reader.nextEvent() {
                switch event {
                case .damage(let d): diagnostics.note(.damage(d, entry.segment))
                case .frame(let frame):
                    _ = scanner.visitFrame(frame, entry.segment) { e in
                        diagnostics.note(e)
                        guard emitting, case .span(let span, _) = e else { return .proceed }
                        let facts = SpanFacts(span)
                        guard filter.matches(span, facts) else { return .proceed }
                        out.write((json ? renderer.json(span) : renderer.line(span, facts: facts)) + "\n")
                        printed += 1
                        if let limit, printed >= limit {
                            stop = true
                            return .stop
                        }
                        return .proceed
                    }
                }
            }
            if stop { return printed - before }
            // A sealed or abandoned segment read to its end never grows again; a vanished one is gone.
            if entry.segment.state != .live || (listingOK && !listed.contains(base) && input.singleFile == nil) {
                readers[base] = nil
                finished.insert(base)
            }
        }
        return printed - before
    }

    /// Polls every `intervalMillis` milliseconds until `limit` spans were printed or `shouldStop` returns true
    /// (checked before each poll).
    ///
    /// - Returns: the number of spans printed in all.
    @discardableResult
    package func run(
        limit: Int? = nil, intervalMillis: Int = 250, shouldStop: () -> Bool = { false },
        to out: inout some TextOutputStream
    ) -> Int {
        while !shouldStop() {
            poll(limit: limit, to: &out)
            if let limit, printed >= limit { break }
            usleep(UInt32(max(1, min(intervalMillis, 60_000))) * 1000)
        }
        return printed
    }
}
