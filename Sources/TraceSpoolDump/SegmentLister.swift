import SpoolBase

/// The `ls` command: one row per segment with state, writer, size, frames, spans, damage, span time range and
/// compression ratio.
package struct SegmentLister: Sendable {
    /// Creates the command.
    package init() {}

    /// The table for already summarised segments. An `OWNER` column (user name, or uid when it has none) is added
    /// when a segment belongs to another user than the one running the command (root inspecting another user's
    /// spool) or to another user than the spool directory's owner (marked `(foreign)`, explained below the table).
    package func render(_ summaries: [SegmentSummary], currentUser: UInt32? = nil) -> String {
        let me = currentUser ?? POSIX.effectiveUserID
        let showOwner =
            summaries.contains { $0.segment.owner.map { $0 != me } ?? false }
            || summaries.contains { $0.segment.hasForeignOwner }
        var table = TextTable(
            headers: [
                "STATE", "SEGMENT", "WRITER", "SIZE", "FRAMES", "SPANS", "DAMAGED", "FIRST SPAN", "LAST SPAN",
                "RATIO", "UPLOADED",
            ] + (showOwner ? ["OWNER"] : []),
            rightAligned: [3, 4, 5, 6, 9, 10])
        for s in summaries {
            let writer = s.writer.map { "\(TerminalText.safe($0.host, maxCharacters: 40)):\($0.pid)" } ?? "?"
            table.add(
                [
                    s.vanished ? "removed" : s.segment.stateLabel, TerminalText.safe(s.segment.fileName), writer,
                    SizeFormat.bytes(s.segment.sizeBytes),
                    s.headerError == nil ? "\(s.frames)" : "-", s.headerError == nil ? "\(s.spanRecords)" : "-",
                    s.headerError != nil ? "header" : (s.damageCount > 0 ? "\(s.damageCount)" : "-"),
                    s.firstSpanStart.map { TimeFormat.rfc3339(unixNanos: $0) } ?? "-",
                    s.lastSpanEnd.map { TimeFormat.rfc3339(unixNanos: $0) } ?? "-",
                    SizeFormat.ratio(raw: s.rawBytes, stored: s.storedBytes),
                    Self.uploaded(s.segment),
                ] + (showOwner ? [Self.owner(s.segment)] : []))
        }
        guard let foreign = summaries.first(where: { $0.segment.hasForeignOwner })?.segment else {
            return table.rendered()
        }
        let spoolOwner = foreign.spoolOwner.map(POSIX.userName(of:)) ?? "?"
        return table.rendered()
            + "(foreign): not owned by the spool directory's owner (\(spoolOwner)); tracespool-upload refuses to ship "
            + "these files, which another user may have planted\n"
    }

    /// The segment's owner for the `OWNER` column: the user name (uid when it has none), `(foreign)` appended when
    /// it is not the spool directory's owner.
    static func owner(_ segment: SpoolSegment) -> String {
        guard let owner = segment.owner else { return "?" }
        let name = TerminalText.safe(POSIX.userName(of: owner), maxCharacters: 32)
        return segment.hasForeignOwner ? name + " (foreign)" : name
    }

    /// How much of the segment the uploader's checkpoint covers: `-` (no checkpoint), else the checkpoint's share of
    /// the file size in percent.
    static func uploaded(_ segment: SpoolSegment) -> String {
        guard let c = segment.checkpoint else { return "-" }
        guard segment.sizeBytes > 0 else { return "0%" }
        return "\(min(100, c.offset * 100 / segment.sizeBytes))%"
    }

    /// The listing as one JSON object `{"segments":[...]}` with a trailing newline (fields in `Docs/Dump.md`).
    package func renderJSON(_ summaries: [SegmentSummary]) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("segments")
        json.beginArray()
        for summary in summaries { summary.write(to: &json, includeDamages: false) }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }

    /// Lists `segments` to `out`; a line says when there are none.
    package func run(segments: [SpoolSegment], json: Bool = false, to out: inout some TextOutputStream) {
        if json {
            out.write(renderJSON(SegmentSummary.summarize(segments)))
            return
        }
        guard !segments.isEmpty else {
            out.write("no segments\n")
            return
        }
        out.write(render(SegmentSummary.summarize(segments)))
    }
}
