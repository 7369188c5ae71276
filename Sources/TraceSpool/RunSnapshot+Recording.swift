import Logging
import SpoolFormat
import Tracing

extension SpoolTracer {
    /// Records a snapshot of what runs on the current span (the trace's span inside `trace { }`), or, outside any
    /// span, as an `event` span `run snapshot` (`tracespool.activity` = `run_snapshot`) of its own trace: the
    /// executable's path and build id, the resolved dependencies, the git commit and dirty state of a working tree
    /// and, opt-in, source files (see `RunSnapshotOptions` and Docs/Tracer.md, "Run snapshot").
    ///
    /// The files are read at the first call with equal `options` in the process (milliseconds for a small working
    /// tree: one `lstat` per tracked file) and the result reused; later calls only set attributes. Never throws:
    /// what could not be read is recorded in a `…error` attribute, or left out, and logged once at debug level.
    public func recordRunSnapshot(_ options: RunSnapshotOptions = RunSnapshotOptions()) {
        guard let core else { return }
        if let active = InstrumentationContext.current?[ActiveSpanKey.self] {
            SpoolSpan(storage: active).recordRunSnapshot(options)
            return
        }
        let attributes = Self.snapshotAttributes(
            options, includeSources: configuration.captureInputOutput, redactor: core.redactor, logger: logger)
        core.recordEventSpan("run snapshot", activity: "run_snapshot", parentContext: .topLevel, attributes: attributes)
    }

    static func snapshotAttributes(
        _ options: RunSnapshotOptions, includeSources: Bool, redactor: Redactor?, logger: Logger
    ) -> [(String, SpanAttribute)] {
        let (snapshot, fresh) = RunSnapshot.cached(options)
        if fresh, !snapshot.problems.isEmpty {
            logger.debug("run snapshot: some of it could not be read: \(snapshot.problems.joined(separator: "; "))")
        }
        return snapshot.attributes(
            includeSources: includeSources, sourceLimit: options.maxSourceFileBytes, redactor: redactor)
    }
}

extension SpoolSpan {
    /// Records a snapshot of what runs on this span; see `SpoolTracer.recordRunSnapshot(_:)`. Source contents are
    /// left out when input/output capture is off for this span. Ignored on a span that does not record.
    public func recordRunSnapshot(_ options: RunSnapshotOptions = RunSnapshotOptions()) {
        guard let storage, isRecording else { return }
        let attributes = SpoolTracer.snapshotAttributes(
            options, includeSources: capturesInputOutput, redactor: storage.core.redactor,
            logger: storage.core.logger)
        for (key, value) in attributes { setAttribute(key, value) }
    }
}
