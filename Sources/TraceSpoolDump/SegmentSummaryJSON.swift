extension SegmentSummary {
    /// This summary as one JSON object (used by `ls --json`, `stats --json`, `verify --json`; fields in
    /// `Docs/Dump.md`). Times are Unix nanoseconds as decimal strings, like OTLP/JSON's 64-bit integers.
    public func json(includeDamages: Bool = true) -> String {
        func nanos(_ v: UInt64?) -> String { v.map { JSONText.string(String($0)) } ?? "null" }
        var members: [(String, String)] = [
            ("segment", JSONText.string(segment.fileName)), ("path", JSONText.string(segment.path)),
            ("state", JSONText.string(segment.state.rawValue)), ("uploading", segment.uploading ? "true" : "false"),
            ("clean", isDamaged ? "false" : "true"), ("vanished", vanished ? "true" : "false"),
            ("sizeBytes", "\(segment.sizeBytes)"),
            (
                "writer",
                writer.map {
                    JSONText.object([
                        ("host", JSONText.string($0.host)), ("pid", "\($0.pid)"),
                        ("startUnixNano", JSONText.string(String($0.startUnixNanos))),
                    ])
                } ?? "null"
            ),
            ("frames", "\(frames)"), ("records", "\(records)"), ("spans", "\(spanRecords)"),
            ("undecodableSpans", "\(undecodableSpans)"), ("rawBytes", "\(rawBytes)"), ("storedBytes", "\(storedBytes)"),
            (
                "drops",
                JSONText.object(
                    drops.counts.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                        ($0.key.description, "\($0.value)")
                    })
            ),
            ("firstSpanStartUnixNano", nanos(firstSpanStart)), ("lastSpanEndUnixNano", nanos(lastSpanEnd)),
            ("uploadedOffset", segment.checkpoint.map { "\($0.offset)" } ?? "null"),
            ("damageCount", "\(damageCount)"), ("damagedBytes", "\(damagedBytes)"),
            ("headerError", headerError.map(JSONText.string) ?? "null"),
            (
                "partialTail",
                partialTail.map { JSONText.object([("offset", "\($0.offset)"), ("length", "\($0.length)")]) } ?? "null"
            ),
        ]
        if includeDamages {
            members.append(
                (
                    "damages",
                    JSONText.array(
                        damages.map {
                            JSONText.object([
                                ("offset", "\($0.offset)"), ("length", "\($0.length)"),
                                ("code", JSONText.string($0.reason.code)),
                                ("reason", JSONText.string($0.reason.description)),
                            ])
                        })
                ))
        }
        return JSONText.object(members)
    }
}
