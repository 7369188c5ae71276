import OTLPWire
import SpoolBase
import SpoolFormat

/// The `stats` command's figures: totals and per-segment spans, traces, frames, bytes, drops, damage, time range and
/// the top span names by count and by total time. Memory is bounded: distinct traces are counted exactly up to
/// `maxTrackedTraces` (then reported as a lower bound) and at most `maxTrackedNames` distinct names are tracked
/// (the rest are folded into `(other names)`).
package struct SpoolStats: Sendable {
    /// Per-name aggregate.
    package struct NameStats: Sendable, Equatable {
        /// The span name.
        package var name: String
        /// Spans with this name.
        package var count: Int
        /// Their summed durations, nanoseconds.
        package var totalNanos: UInt64
    }

    /// The label used for names beyond `maxTrackedNames`.
    package static let otherNames = "(other names)"

    /// Per-segment figures, in spool order.
    package private(set) var segments: [SegmentSummary] = []
    /// Distinct traces per segment, same order as `segments`.
    package private(set) var segmentTraces: [String] = []
    /// Distinct traces over the whole spool.
    package private(set) var traces: DistinctCounter<[UInt8]>
    /// Per-name aggregates (unordered).
    package private(set) var names: [String: NameStats] = [:]
    /// The most distinct names tracked.
    package let maxTrackedNames: Int
    /// The most distinct trace ids tracked.
    package let maxTrackedTraces: Int

    /// Gathers the figures of `segments`.
    package init(segments list: [SpoolSegment], maxTrackedNames: Int = 10_000, maxTrackedTraces: Int = 200_000) {
        self.maxTrackedNames = max(1, maxTrackedNames)
        self.maxTrackedTraces = max(1, maxTrackedTraces)
        traces = DistinctCounter(capacity: self.maxTrackedTraces)
        for segment in list {
            var summary = SegmentSummary(segment: segment)
            var segmentTraces = DistinctCounter<[UInt8]>(capacity: self.maxTrackedTraces)
            SpoolScanner(segments: [segment]).scan { event in
                summary.add(event)
                if case .span(let span, _) = event {
                    let id = Array(span.traceID.prefix(32))
                    segmentTraces.insert(id)
                    traces.insert(id)
                    addName(span)
                }
                return .proceed
            }
            segments.append(summary)
            self.segmentTraces.append(segmentTraces.text)
        }
    }

    private mutating func addName(_ span: OTLPSpan) {
        let duration = span.endTimeUnixNano > span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0
        var key = TerminalText.safe(span.name, maxCharacters: 120)
        if names[key] == nil, names.count >= maxTrackedNames { key = Self.otherNames }
        var entry = names[key] ?? NameStats(name: key, count: 0, totalNanos: 0)
        entry.count += 1
        entry.totalNanos &+= duration
        names[key] = entry
    }

    /// Totals over all segments.
    package var totals: SegmentSummary {
        var t = SegmentSummary(
            segment: SpoolSegment(
                path: "", fileName: "total", name: nil, sizeBytes: 0, state: .sealed, uploading: false))
        for s in segments {
            t.segment.sizeBytes += s.segment.sizeBytes
            t.frames += s.frames
            t.records += s.records
            t.spanRecords += s.spanRecords
            t.undecodableSpans += s.undecodableSpans
            t.rawBytes += s.rawBytes
            t.storedBytes += s.storedBytes
            t.drops.add(s.drops)
            t.damageCount += s.damageCount + (s.headerError == nil ? 0 : 1)
            t.damagedBytes += s.damagedBytes
            if let f = s.firstSpanStart { t.firstSpanStart = min(t.firstSpanStart ?? .max, f) }
            if let l = s.lastSpanEnd { t.lastSpanEnd = max(t.lastSpanEnd ?? 0, l) }
        }
        return t
    }

    /// The `top` names by count (ties: by name).
    package func topByCount(_ top: Int) -> [NameStats] {
        Array(names.values.sorted { ($1.count, $0.name) < ($0.count, $1.name) }.prefix(max(0, top)))
    }

    /// The `top` names by total time (ties: by name).
    package func topByTime(_ top: Int) -> [NameStats] {
        Array(names.values.sorted { ($1.totalNanos, $0.name) < ($0.totalNanos, $1.name) }.prefix(max(0, top)))
    }

    /// The report: totals, a per-segment table and the top `top` names by count and by total time.
    package func render(top: Int = 10) -> String {
        let t = totals
        var out = ""
        let states = Dictionary(grouping: segments, by: \.segment.state).mapValues(\.count)
        let uploading = segments.filter(\.segment.uploading).count
        out +=
            "segments:   \(segments.count) (\(states[.sealed] ?? 0) sealed, \(states[.live] ?? 0) live, "
            + "\(states[.abandoned] ?? 0) abandoned; \(uploading) uploading)\n"
        out +=
            "spans:      \(t.spanRecords) in \(traces.text) traces"
            + (t.undecodableSpans > 0 ? " (\(t.undecodableSpans) undecodable)" : "") + "\n"
        out += "frames:     \(t.frames) (\(t.records) records)\n"
        out +=
            "bytes:      files \(SizeFormat.bytes(t.segment.sizeBytes)), stored \(SizeFormat.bytes(t.storedBytes)), "
            + "raw \(SizeFormat.bytes(t.rawBytes)) (ratio \(SizeFormat.ratio(raw: t.rawBytes, stored: t.storedBytes)))\n"
        out += "drops:      \(Self.dropsText(t.drops)) recorded by writers\n"
        let headerErrors = segments.filter { $0.headerError != nil }.count
        out +=
            "damage:     \(t.damageCount) region\(t.damageCount == 1 ? "" : "s"), \(t.damagedBytes) bytes"
            + (headerErrors > 0 ? " (\(headerErrors) unreadable segment header\(headerErrors == 1 ? "" : "s"))" : "")
            + "\n"
        out += "oldest:     " + (t.firstSpanStart.map { TimeFormat.rfc3339(unixNanos: $0) } ?? "-") + "\n"
        out += "newest:     " + (t.lastSpanEnd.map { TimeFormat.rfc3339(unixNanos: $0) } ?? "-") + "\n"
        if !segments.isEmpty {
            var table = TextTable(
                headers: [
                    "SEGMENT", "STATE", "SPANS", "TRACES", "FRAMES", "STORED", "RAW", "DROPS", "DAMAGED",
                    "OLDEST", "NEWEST",
                ],
                rightAligned: [2, 3, 4, 5, 6, 7, 8])
            for (s, tr) in zip(segments, segmentTraces) {
                table.add([
                    TerminalText.safe(s.segment.fileName), s.segment.stateLabel, "\(s.spanRecords)", tr, "\(s.frames)",
                    SizeFormat.bytes(s.storedBytes), SizeFormat.bytes(s.rawBytes), "\(s.drops.total)",
                    s.headerError != nil ? "header" : "\(s.damageCount)",
                    s.firstSpanStart.map { TimeFormat.rfc3339(unixNanos: $0) } ?? "-",
                    s.lastSpanEnd.map { TimeFormat.rfc3339(unixNanos: $0) } ?? "-",
                ])
            }
            out += "\nper segment:\n" + table.rendered()
        }
        if !names.isEmpty {
            var byCount = TextTable(headers: ["COUNT", "TOTAL TIME", "NAME"], rightAligned: [0, 1])
            for n in topByCount(top) { byCount.add(["\(n.count)", SizeFormat.duration(nanos: n.totalNanos), n.name]) }
            var byTime = TextTable(headers: ["TOTAL TIME", "COUNT", "NAME"], rightAligned: [0, 1])
            for n in topByTime(top) { byTime.add([SizeFormat.duration(nanos: n.totalNanos), "\(n.count)", n.name]) }
            out += "\ntop span names by count:\n" + byCount.rendered()
            out += "\ntop span names by total time:\n" + byTime.rendered()
        }
        return out
    }

    /// The figures as one JSON object with a trailing newline: `totals`, `traces`, `tracesSaturated`, `segments`
    /// (with per-segment `traces`), `topByCount`, `topByTime` (fields in `Docs/Dump.md`).
    package func renderJSON(top: Int = 10) -> String {
        var json = JSONWriter()
        func names(_ list: [NameStats]) {
            json.beginArray()
            for n in list {
                json.beginObject()
                json.key("name"); json.string(n.name)
                json.key("count"); json.number(n.count)
                json.key("totalNanos"); json.quotedNumber(n.totalNanos)
                json.endObject()
            }
            json.endArray()
        }
        func nanos(_ v: UInt64?) {
            if let v { json.quotedNumber(v) } else { json.null() }
        }
        let t = totals
        json.beginObject()
        json.key("totals")
        json.beginObject()
        json.key("segments"); json.number(segments.count)
        json.key("sizeBytes"); json.number(t.segment.sizeBytes)
        json.key("frames"); json.number(t.frames)
        json.key("records"); json.number(t.records)
        json.key("spans"); json.number(t.spanRecords)
        json.key("undecodableSpans"); json.number(t.undecodableSpans)
        json.key("rawBytes"); json.number(t.rawBytes)
        json.key("storedBytes"); json.number(t.storedBytes)
        json.key("drops"); SegmentSummary.writeDrops(t.drops, to: &json)
        json.key("damageCount"); json.number(t.damageCount)
        json.key("damagedBytes"); json.number(t.damagedBytes)
        json.key("firstSpanStartUnixNano"); nanos(t.firstSpanStart)
        json.key("lastSpanEndUnixNano"); nanos(t.lastSpanEnd)
        json.endObject()
        json.key("traces"); json.number(traces.count)
        json.key("tracesSaturated"); json.bool(traces.saturated)
        json.key("segments")
        json.beginArray()
        for (segment, segmentTraces) in zip(segments, segmentTraces) {
            segment.write(to: &json, includeDamages: false) { json in
                json.key("traces"); json.string(segmentTraces)
            }
        }
        json.endArray()
        json.key("topByCount"); names(topByCount(top))
        json.key("topByTime"); names(topByTime(top))
        json.endObject()
        return json.text + "\n"
    }

    /// `5 (queue_full 3, disk_cap 2)` or `0`.
    static func dropsText(_ drops: DropCounts) -> String {
        guard drops.total > 0 else { return "0" }
        let parts = DropReason.allCases.compactMap { r in drops.counts[r].flatMap { $0 > 0 ? "\(r) \($0)" : nil } }
        return "\(drops.total) (" + parts.joined(separator: ", ") + ")"
    }
}
