package import OTLPWire
package import SpoolFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One thing found while scanning a spool, in file order.
package enum ScanEvent {
    /// A segment whose header was read; its frames follow.
    case segmentStart(SpoolSegment, SegmentHeader)
    /// A segment whose header is unreadable (nothing in it can be trusted) or that cannot be opened.
    case segmentUnreadable(SpoolSegment, SpoolError)
    /// A listed segment that was removed before it could be opened (an uploader finished it): not damage.
    case segmentVanished(SpoolSegment)
    /// A valid frame (its records follow as `.span`, `.drops` or nothing for unknown types).
    case frame(SpoolSegment, SegmentFrame)
    /// A span record that decoded.
    case span(OTLPSpan, SpoolSegment)
    /// A span record that is not a valid OTLP `Span` message (its frame's CRC was fine: a writer bug).
    case undecodableSpan(SpoolSegment, frameOffset: Int, recordIndex: Int, OTLPDecodingError)
    /// A drop-accounting record: spans the writer lost before this frame.
    case drops(DropCounts, SpoolSegment)
    /// A drop-accounting record that does not parse.
    case malformedDrops(SpoolSegment, frameOffset: Int, recordIndex: Int)
    /// A damaged region the reader skipped.
    case damage(Damage, SpoolSegment)
    /// The end of a segment's readable data; the reader holds `tail`, `damageCount`, `damagedBytes`.
    case segmentEnd(SpoolSegment, SegmentReader)
}

/// Whether a scan goes on.
package enum ScanControl: Sendable {
    /// Continue with the next event.
    case proceed
    /// Skip the rest of the current segment (no `.segmentEnd` for it).
    case skipSegment
    /// Stop scanning.
    case stop
}

/// Streams every frame, record and damage of a list of segments with bounded memory (one frame at a time, via
/// `SegmentReader`). Never modifies anything.
package struct SpoolScanner {
    /// The segments to scan, in order.
    package var segments: [SpoolSegment]
    /// Whether to decode span records (false: `.span` events are not produced, only frames and records counted).
    package var decodeSpans: Bool

    /// Creates a scanner.
    package init(segments: [SpoolSegment], decodeSpans: Bool = true) {
        self.segments = segments
        self.decodeSpans = decodeSpans
    }

    /// Scans, calling `visit` for every event until it returns `.stop`.
    ///
    /// - Returns: false when `visit` stopped the scan.
    @discardableResult
    package func scan(_ visit: (ScanEvent) -> ScanControl) -> Bool {
        segments: for listed in segments {
            var segment = listed
            let reader: SegmentReader
            switch Self.open(&segment) {
            case .success(let r): reader = r
            case .failure(let error):
                if case .io(_, _, let code) = error, code == ENOENT {
                    if case .stop = visit(.segmentVanished(segment)) { return false }
                } else if case .stop = visit(.segmentUnreadable(segment, error)) {
                    return false
                }
                continue
            }
            switch visit(.segmentStart(segment, reader.header)) {
            case .stop: return false
            case .skipSegment: continue segments
            case .proceed: break
            }
            while let event = reader.nextEvent() {
                let control: ScanControl
                switch event {
                case .damage(let damage): control = visit(.damage(damage, segment))
                case .frame(let frame): control = visitFrame(frame, segment, visit)
                }
                switch control {
                case .stop: return false
                case .skipSegment: continue segments
                case .proceed: break
                }
            }
            if case .stop = visit(.segmentEnd(segment, reader)) { return false }
        }
        return true
    }

    /// Opens a segment's reader (`SegmentReader.openListed`): an `.open` segment sealed since it was listed is
    /// opened under its `.seg` name, and `segment` then describes it so.
    static func open(_ segment: inout SpoolSegment) -> Result<SegmentReader, SpoolError> {
        do throws(SpoolError) {
            let reader = try SegmentReader.openListed(path: segment.path)
            if reader.path != segment.path {
                segment.path = reader.path
                segment.name = segment.name?.with(state: .sealed)
                segment.fileName = segment.name?.fileName ?? segment.fileName
                segment.state = .sealed
            }
            return .success(reader)
        } catch {
            return .failure(error)
        }
    }

    /// Calls `visit` for one frame and its records.
    func visitFrame(_ frame: SegmentFrame, _ segment: SpoolSegment, _ visit: (ScanEvent) -> ScanControl) -> ScanControl
    {
        let control = visit(.frame(segment, frame))
        guard case .proceed = control else { return control }
        for (index, record) in frame.records.enumerated() {
            let event: ScanEvent
            switch record.type {
            case .span:
                guard decodeSpans else { continue }
                do throws(OTLPDecodingError) {
                    event = .span(try OTLPSpan(decoding: record.body), segment)
                } catch {
                    event = .undecodableSpan(segment, frameOffset: frame.offset, recordIndex: index, error)
                }
            case .drops:
                if let counts = DropCounts(decoding: record.body) {
                    event = .drops(counts, segment)
                } else {
                    event = .malformedDrops(segment, frameOffset: frame.offset, recordIndex: index)
                }
            default: continue
            }
            let c = visit(event)
            guard case .proceed = c else { return c }
        }
        return .proceed
    }
}
