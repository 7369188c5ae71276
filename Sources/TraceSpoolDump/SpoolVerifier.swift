import SpoolBase
import SpoolFormat

/// The `verify` command: walks every frame of every segment, checking every CRC and limit (through
/// `SegmentReader`) and that every span record is a valid OTLP span, and reports each damaged region with its
/// segment, offset, length and reason. Read-only and bounded in memory.
///
/// A partial frame at the end of an open segment is not damage (a live writer is writing it, or a dead writer was
/// cut off mid-frame: a torn tail that never was a complete frame, `Spool/FORMAT.md` §7); it is reported as a note in
/// the words every tool uses (`SegmentTail.tornTailNote`).
package struct SpoolVerifier: Sendable {
    /// The result of a verification.
    package struct Report: Sendable, Equatable {
        /// The input path.
        package var path: String
        /// Per-segment findings.
        package var segments: [SegmentSummary]

        /// Whether no segment has damage, an unreadable header or an undecodable span.
        package var isClean: Bool { !segments.contains(where: \.isDamaged) }
    }

    /// Creates the command.
    package init() {}

    /// Verifies `segments` of the input at `path`.
    package func verify(path: String, segments: [SpoolSegment]) -> Report {
        Report(path: path, segments: SegmentSummary.summarize(segments))
    }

    /// The human-readable report: one line per segment, one indented line per damaged region, a result line.
    package func renderText(_ report: Report) -> String {
        var out =
            "verify \(TerminalText.safe(report.path)): \(report.segments.count) segment"
            + (report.segments.count == 1 ? "" : "s") + "\n"
        var damagedSegments = 0
        var unreadableSegments = 0
        var regions = 0
        var bytes = 0
        for s in report.segments {
            let name = TerminalText.safe(s.segment.fileName)
            if s.vanished {
                out += "gone     \(name)  removed while verifying (an uploader finished it): not checked\n"
                continue
            }
            if let headerError = s.headerError {
                damagedSegments += 1
                unreadableSegments += 1
                regions += 1
                out +=
                    "DAMAGED  \(name)  (\(s.segment.stateLabel))  unreadable segment header: "
                    + TerminalText.safe(headerError) + "; nothing in it can be read\n"
                continue
            }
            var line =
                (s.isDamaged ? "DAMAGED  " : "ok       ") + name + "  (\(s.segment.stateLabel))  "
                + "\(s.frames) frame\(s.frames == 1 ? "" : "s"), \(s.records) record\(s.records == 1 ? "" : "s")"
            if s.damageCount > 0 {
                line += ", \(s.damageCount) damaged region\(s.damageCount == 1 ? "" : "s") (\(s.damagedBytes) bytes)"
            }
            if s.undecodableSpans > 0 { line += ", \(s.undecodableSpans) undecodable span records" }
            if let tail = s.partialTail {
                line +=
                    s.segment.state == .live
                    ? "; frame being written at \(tail.offset) (\(tail.length) bytes so far)"
                    : "; " + SegmentTail.tornTailNote(offset: tail.offset, length: tail.length)
            }
            out += line + "\n"
            for d in s.damages {
                out += "         \(name) @\(d.offset) +\(d.length) \(d.reason.code): \(d.reason)\n"
            }
            if s.damageCount > s.damages.count {
                out += "         ... and \(s.damageCount - s.damages.count) more damaged regions\n"
            }
            if s.isDamaged { damagedSegments += 1 }
            regions += s.damageCount
            bytes += s.damagedBytes
        }
        if report.isClean {
            out += "result: clean (\(report.segments.count) segments)\n"
        } else {
            out +=
                "result: DAMAGED: \(damagedSegments) of \(report.segments.count) segments "
                + "(\(regions) region\(regions == 1 ? "" : "s"), \(bytes) bytes); "
                + Self.advice(damagedSegments: damagedSegments, unreadableSegments: unreadableSegments) + "\n"
        }
        return out
    }

    /// What helps with damage: `salvage` copies the readable frames of damaged segments; a segment whose header is
    /// unreadable has nothing salvage could copy (an uploader moves it into `dead-letter/`).
    static func advice(damagedSegments: Int, unreadableSegments: Int) -> String {
        let salvage = "run `tracespool-dump salvage` to copy the readable frames into new segments"
        let unreadable =
            "a segment with an unreadable header holds nothing readable: salvage skips it, an uploader moves it into "
            + "dead-letter/; delete it once its spans are given up"
        if unreadableSegments == 0 { return salvage }
        if unreadableSegments == damagedSegments { return unreadable }
        return salvage + "; " + unreadable
    }

    /// The machine-readable report: one JSON object (see `Docs/Dump.md`), with a trailing newline.
    package func renderJSON(_ report: Report) -> String {
        let damaged = report.segments.filter(\.isDamaged).count
        let regions = report.segments.reduce(0) { $0 + $1.damageCount + ($1.headerError == nil ? 0 : 1) }
        let bytes = report.segments.reduce(0) { $0 + $1.damagedBytes }
        var json = JSONWriter()
        json.beginObject()
        json.key("path"); json.string(report.path)
        json.key("clean"); json.bool(report.isClean)
        json.key("segmentCount"); json.number(report.segments.count)
        json.key("damagedSegments"); json.number(damaged)
        json.key("damageCount"); json.number(regions)
        json.key("damagedBytes"); json.number(bytes)
        json.key("segments")
        json.beginArray()
        for segment in report.segments { segment.write(to: &json, includeDamages: true) }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }
}
