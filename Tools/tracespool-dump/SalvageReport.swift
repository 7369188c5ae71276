import TraceSpoolDump

/// What `salvage` prints: one line per segment (what was done, counts, new segment names, notes).
enum SalvageReport {
    /// The report of `outcomes`; `no segments` when there are none.
    static func render(_ outcomes: [SegmentSalvager.Outcome]) -> String {
        var out = ""
        for o in outcomes {
            let name = TerminalText.safe(o.segment)
            let note = o.note.map(message) ?? ""
            switch o.action {
            case .salvaged:
                out +=
                    "salvaged \(name): \(o.frames) frame\(o.frames == 1 ? "" : "s"), \(o.spans) span\(o.spans == 1 ? "" : "s")"
                if o.droppedRecords > 0 { out += " (\(o.droppedRecords) undecodable span records left out)" }
                if o.alreadyUploadedRecords > 0 {
                    out += " (\(o.alreadyUploadedRecords) records already uploaded left out)"
                }
                out += " -> " + (o.newSegments.isEmpty ? "nothing readable" : o.newSegments.joined(separator: ", "))
                if o.removedOriginal {
                    out += " (original removed)"
                } else if let retired = o.retiredOriginal {
                    out += " (original kept as \(TerminalText.safe(retired)))"
                }
                if !note.isEmpty { out += "; \(note)" }
            case .skipped: out += "skipped  \(name): \(note)"
            case .failed: out += "FAILED   \(name): \(note)"
            }
            out += "\n"
        }
        if outcomes.isEmpty { out += "no segments\n" }
        return out
    }

    /// Why a segment was skipped or failed, or why an original was kept, with what to do about it.
    static func message(_ note: SegmentSalvager.Outcome.Note) -> String {
        switch note {
        case .liveWriter: "open segment with a live writer: never touched"
        case .alreadySalvaged(let marker): "already salvaged (see \(marker)); use --force to salvage again"
        case .beingUploaded: "an uploader is sending it right now; run salvage again later"
        case .vanished: "removed before it could be read (uploaded)"
        case .unreadableHeader(let error): "unreadable segment header, nothing in it can be trusted: \(error)"
        case .clean: "sealed and clean: nothing to salvage"
        case .cannotOpen(let error): error.description
        case .copyFailed(let error): "copy failed: \(error); the original was kept"
        case .keptWhileLocked:
            "original left in place: a writer holds its lock again; stop that writer before an uploader sends both"
        case .keptAfterRetireFailed(let errno):
            "original left in place: cannot retire it (errno \(errno)); an uploader would send its spans twice: "
                + "move it out of the spool directory"
        }
    }
}
