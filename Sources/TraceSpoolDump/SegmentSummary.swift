package import SpoolFormat

/// Frame-level and span-level figures of one segment, gathered in one bounded-memory pass.
package struct SegmentSummary: Sendable, Equatable {
    /// The segment.
    package var segment: SpoolSegment
    /// The writer from the segment header (nil when the header is unreadable).
    package var writer: WriterIdentity?
    /// Why the header is unreadable, if it is.
    package var headerError: String?
    /// The segment was removed between listing and reading (an uploader finished it); not damage.
    package var vanished = false
    /// Valid frames.
    package var frames = 0
    /// Records in valid frames (all types).
    package var records = 0
    /// Span records in valid frames.
    package var spanRecords = 0
    /// Span records that are not valid OTLP spans.
    package var undecodableSpans = 0
    /// Payload bytes after decompression.
    package var rawBytes = 0
    /// Payload bytes as stored (compressed).
    package var storedBytes = 0
    /// Spans the writer recorded as dropped, by reason.
    package var drops = DropCounts()
    /// Damaged regions.
    package var damageCount = 0
    /// Bytes in damaged regions.
    package var damagedBytes = 0
    /// The first damaged regions (at most 1,024, as the reader keeps).
    package var damages: [Damage] = []
    /// A partial frame at the end of an open segment.
    package struct PartialTail: Sendable, Equatable {
        /// The file offset where the partial frame starts.
        package var offset: Int
        /// Its bytes so far.
        package var length: Int
    }

    /// A partial frame at the end of an open segment (being written, or torn when its writer died).
    package var partialTail: PartialTail?
    /// Earliest span start, Unix nanoseconds.
    package var firstSpanStart: UInt64?
    /// Latest span end, Unix nanoseconds.
    package var lastSpanEnd: UInt64?

    /// Creates an empty summary of `segment`.
    package init(segment: SpoolSegment) { self.segment = segment }

    /// Whether anything in the segment is damaged or unreadable.
    package var isDamaged: Bool { headerError != nil || damageCount > 0 || undecodableSpans > 0 }

    /// Folds one scan event of this segment in.
    package mutating func add(_ event: ScanEvent) {
        switch event {
        case .segmentStart(let s, let header):
            segment = s
            writer = header.writer
        case .segmentVanished: vanished = true
        case .segmentUnreadable(_, .badSegmentHeader(_, let problem)): headerError = problem.description
        case .segmentUnreadable(_, let error): headerError = error.description
        case .frame(_, let frame):
            frames += 1
            records += frame.records.count
            rawBytes += Int(frame.header.uncompressedLength)
            storedBytes += Int(frame.header.storedLength)
            spanRecords += frame.records.lazy.filter { $0.type == .span }.count
        case .span(let span, _):
            if span.startTimeUnixNano > 0 { firstSpanStart = min(firstSpanStart ?? .max, span.startTimeUnixNano) }
            let end = max(span.endTimeUnixNano, span.startTimeUnixNano)
            if end > 0 { lastSpanEnd = max(lastSpanEnd ?? 0, end) }
        case .undecodableSpan: undecodableSpans += 1
        case .drops(let counts, _): drops.add(counts)
        case .malformedDrops: break
        case .damage(let damage, _):
            damageCount += 1
            damagedBytes += damage.length
            if damages.count < 1024 { damages.append(damage) }
        case .segmentEnd(_, let reader):
            if case .partialFrame(let offset, let length) = reader.tail {
                partialTail = PartialTail(offset: offset, length: length)
            }
        }
    }

    /// Summarises every segment in one pass each (spans are decoded only when `decodeSpans`).
    package static func summarize(_ segments: [SpoolSegment], decodeSpans: Bool = true) -> [SegmentSummary] {
        var result: [SegmentSummary] = []
        for segment in segments {
            var summary = SegmentSummary(segment: segment)
            SpoolScanner(segments: [segment], decodeSpans: decodeSpans).scan { event in
                summary.add(event)
                return .proceed
            }
            result.append(summary)
        }
        return result
    }
}
