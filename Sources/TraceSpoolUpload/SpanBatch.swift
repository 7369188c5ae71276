import OTLPWire
package import SpoolFormat

/// Spans read from one segment, ready to send as one request: the segment's encoded resource and scope plus the
/// spans' encoded bytes (views into the frames read, never decoded).
package struct SpanBatch: Sendable {
    /// The spool directory the spans come from.
    package var spoolPath: String
    /// The segment's file name.
    package var segment: String
    /// The encoded OTLP `Resource` from the segment header.
    package var resource: [UInt8]
    /// The encoded OTLP `InstrumentationScope` from the segment header.
    package var scope: [UInt8]
    /// The encoded OTLP `Span` messages, in spool order.
    package var spans: [ArraySlice<UInt8>]
    /// Where the batch starts in the segment.
    package var start: SegmentCheckpoint
    /// Where the next batch starts: the checkpoint to write once this batch is acknowledged.
    package var end: SegmentCheckpoint
    /// Sum of `ExportTraceRequestBuilder.spanRecordSize` over `spans`, bytes.
    package private(set) var spanRecordsSize: Int

    /// Creates a batch.
    package init(
        spoolPath: String, segment: String, resource: [UInt8], scope: [UInt8], spans: [ArraySlice<UInt8>] = [],
        start: SegmentCheckpoint, end: SegmentCheckpoint
    ) {
        self.spoolPath = spoolPath
        self.segment = segment
        self.resource = resource
        self.scope = scope
        self.spans = []
        self.start = start
        self.end = end
        self.spanRecordsSize = 0
        for span in spans { append(span) }
    }

    /// The number of spans.
    package var count: Int { spans.count }

    /// The exact size of the request body `requestBody()` builds, bytes.
    package var requestSize: Int {
        Self.requestSize(resource: resource.count, scope: scope.count, spanRecords: spanRecordsSize)
    }

    /// The exact request size for the given component sizes, bytes.
    package static func requestSize(resource: Int, scope: Int, spanRecords: Int) -> Int {
        ExportTraceRequestBuilder.groupSize(resourceLength: resource, scopeLength: scope, spanRecordsSize: spanRecords)
    }

    /// The request size if `spanLength` more bytes of span were added, bytes.
    package func requestSize(adding spanLength: Int) -> Int {
        Self.requestSize(
            resource: resource.count, scope: scope.count,
            spanRecords: spanRecordsSize + ExportTraceRequestBuilder.spanRecordSize(encodedSpanLength: spanLength))
    }

    /// Adds one encoded span.
    package mutating func append(_ span: ArraySlice<UInt8>) {
        spans.append(span)
        spanRecordsSize += ExportTraceRequestBuilder.spanRecordSize(encodedSpanLength: span.count)
    }

    /// The `ExportTraceServiceRequest` protobuf body: one `ResourceSpans` with one `ScopeSpans`; span bytes copied.
    package func requestBody() -> [UInt8] {
        var builder = ExportTraceRequestBuilder(capacity: requestSize)
        builder.addGroup(resource: resource, scope: scope, spans: spans)
        return builder.bytes
    }

    /// The two halves of this batch (used after a 413). Both keep this batch's `start`/`end`.
    /// - Precondition: `count >= 2`.
    package func halves() -> (SpanBatch, SpanBatch) {
        let mid = spans.count / 2
        var a = self
        var b = self
        a.spans = []
        a.spanRecordsSize = 0
        b.spans = []
        b.spanRecordsSize = 0
        for s in spans[..<mid] { a.append(s) }
        for s in spans[mid...] { b.append(s) }
        return (a, b)
    }
}
