import SpoolBase
import SpoolFormat

extension SegmentSummary {
    /// This summary as one JSON object (used by `ls --json`, `stats --json`, `verify --json`; fields in
    /// `Docs/Dump.md`). Times are Unix nanoseconds as decimal strings, like OTLP/JSON's 64-bit integers.
    package func json(includeDamages: Bool = true) -> String {
        var json = JSONWriter()
        write(to: &json, includeDamages: includeDamages)
        return json.text
    }

    /// Writes this summary's JSON object (see `json(includeDamages:)`); `extraMembers` writes further members
    /// before the object is closed.
    func write(
        to json: inout JSONWriter, includeDamages: Bool, extraMembers: (inout JSONWriter) -> Void = { _ in }
    ) {
        func nanos(_ v: UInt64?) {
            if let v { json.quotedNumber(v) } else { json.null() }
        }
        json.beginObject()
        json.key("segment"); json.string(segment.fileName)
        json.key("path"); json.string(segment.path)
        json.key("state"); json.string(segment.state.rawValue)
        json.key("uploading"); json.bool(segment.uploading)
        json.key("clean"); json.bool(!isDamaged)
        json.key("vanished"); json.bool(vanished)
        json.key("sizeBytes"); json.number(segment.sizeBytes)
        json.key("ownerUid")
        if let owner = segment.owner { json.number(Int(owner)) } else { json.null() }
        json.key("foreignOwner"); json.bool(segment.hasForeignOwner)
        json.key("writer")
        if let writer {
            json.beginObject()
            json.key("host"); json.string(writer.host)
            json.key("pid"); json.number(writer.pid)
            json.key("startUnixNano"); json.quotedNumber(writer.startUnixNanos)
            json.endObject()
        } else {
            json.null()
        }
        json.key("frames"); json.number(frames)
        json.key("records"); json.number(records)
        json.key("spans"); json.number(spanRecords)
        json.key("undecodableSpans"); json.number(undecodableSpans)
        json.key("rawBytes"); json.number(rawBytes)
        json.key("storedBytes"); json.number(storedBytes)
        json.key("drops"); Self.writeDrops(drops, to: &json)
        json.key("firstSpanStartUnixNano"); nanos(firstSpanStart)
        json.key("lastSpanEndUnixNano"); nanos(lastSpanEnd)
        json.key("uploadedOffset")
        if let checkpoint = segment.checkpoint { json.number(checkpoint.offset) } else { json.null() }
        json.key("damageCount"); json.number(damageCount)
        json.key("damagedBytes"); json.number(damagedBytes)
        json.key("headerError")
        if let headerError { json.string(headerError) } else { json.null() }
        json.key("partialTail")
        if let partialTail {
            json.beginObject()
            json.key("offset"); json.number(partialTail.offset)
            json.key("length"); json.number(partialTail.length)
            json.endObject()
        } else {
            json.null()
        }
        if includeDamages {
            json.key("damages")
            json.beginArray()
            for damage in damages {
                json.beginObject()
                json.key("offset"); json.number(damage.offset)
                json.key("length"); json.number(damage.length)
                json.key("code"); json.string(damage.reason.code)
                json.key("reason"); json.string(damage.reason.description)
                json.endObject()
            }
            json.endArray()
        }
        extraMembers(&json)
        json.endObject()
    }

    /// Drop counts as an object of reason names to counts, ordered by the reasons' codes.
    static func writeDrops(_ drops: DropCounts, to json: inout JSONWriter) {
        json.beginObject()
        for (reason, count) in drops.counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            json.key(escaping: reason.description)
            json.number(count)
        }
        json.endObject()
    }
}
