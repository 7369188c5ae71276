/// Builds an `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest` body from
/// already-encoded messages, without decoding or re-encoding spans.
///
/// Each call to ``addGroup(resource:scope:spans:resourceSchemaURL:scopeSchemaURL:)`` appends one
/// `ResourceSpans` (the request's `resource_spans`) containing the resource, exactly one `ScopeSpans`
/// with the scope and the spans, and the optional schema URLs. All sizes are known up front, so
/// every length prefix is written directly and each span's bytes are copied exactly once.
///
/// Size accounting is exact: ``bytes``.count always equals the sum of
/// ``groupSize(resourceLength:scopeLength:spanRecordsSize:resourceSchemaURLLength:scopeSchemaURLLength:)``
/// over the added groups, where `spanRecordsSize` is the sum of ``spanRecordSize(encodedSpanLength:)``.
package struct ExportTraceRequestBuilder: Sendable {
    /// The underlying writer; its bytes are the request body built so far.
    package private(set) var writer: ProtobufWriter

    /// Creates an empty builder.
    /// - Parameter capacity: Initial buffer capacity in bytes.
    package init(capacity: Int = 64 * 1024) {
        writer = ProtobufWriter(capacity: capacity)
    }

    /// The encoded request body so far (an empty body is a valid, empty request).
    package var bytes: [UInt8] { writer.bytes }

    /// Size of the request body so far, in bytes.
    package var count: Int { writer.count }

    /// Removes all groups, keeping the buffer's capacity.
    package mutating func reset() { writer.reset() }

    // MARK: - Size accounting

    /// The exact number of bytes one span adds to a `ScopeSpans` (and hence to the request):
    /// a 1-byte tag (`ScopeSpans.spans`), the varint length, and the span message itself.
    /// - Parameter encodedSpanLength: Length in bytes of the encoded `Span` message.
    @inlinable
    package static func spanRecordSize(encodedSpanLength: Int) -> Int {
        ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.ScopeSpans.spans, length: encodedSpanLength)
    }

    /// The exact number of bytes one group adds to the request.
    /// - Parameters:
    ///   - resourceLength: Length in bytes of the encoded `Resource` message.
    ///   - scopeLength: Length in bytes of the encoded `InstrumentationScope` message.
    ///   - spanRecordsSize: Sum of ``spanRecordSize(encodedSpanLength:)`` over the group's spans.
    ///   - resourceSchemaURLLength: UTF-8 length of the resource schema URL (0 = omitted).
    ///   - scopeSchemaURLLength: UTF-8 length of the scope schema URL (0 = omitted).
    @inlinable
    package static func groupSize(
        resourceLength: Int,
        scopeLength: Int,
        spanRecordsSize: Int,
        resourceSchemaURLLength: Int = 0,
        scopeSchemaURLLength: Int = 0
    ) -> Int {
        let scopeSpans =
            ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.ScopeSpans.scope, length: scopeLength)
            + spanRecordsSize
            + (scopeSchemaURLLength > 0
                ? ProtobufWriter.lengthDelimitedFieldSize(
                    field: OTLPField.ScopeSpans.schemaURL, length: scopeSchemaURLLength) : 0)
        let resourceSpans =
            ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.ResourceSpans.resource, length: resourceLength)
            + ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.ResourceSpans.scopeSpans, length: scopeSpans)
            + (resourceSchemaURLLength > 0
                ? ProtobufWriter.lengthDelimitedFieldSize(
                    field: OTLPField.ResourceSpans.schemaURL, length: resourceSchemaURLLength) : 0)
        return ProtobufWriter.lengthDelimitedFieldSize(
            field: OTLPField.ExportTraceServiceRequest.resourceSpans, length: resourceSpans)
    }

    /// The bytes a group adds beyond its span records: `groupSize(...) - spanRecordsSize`.
    ///
    /// Note the overhead grows (by at most a few bytes) as `spanRecordsSize` crosses varint
    /// boundaries (128, 16384, 2097152 ...), so pass the span total you intend to send.
    @inlinable
    package static func groupOverhead(
        resourceLength: Int,
        scopeLength: Int,
        spanRecordsSize: Int,
        resourceSchemaURLLength: Int = 0,
        scopeSchemaURLLength: Int = 0
    ) -> Int {
        groupSize(
            resourceLength: resourceLength,
            scopeLength: scopeLength,
            spanRecordsSize: spanRecordsSize,
            resourceSchemaURLLength: resourceSchemaURLLength,
            scopeSchemaURLLength: scopeSchemaURLLength
        ) - spanRecordsSize
    }

    // MARK: - Building

    /// Appends one `ResourceSpans` group made of already-encoded messages.
    ///
    /// The resource and scope fields are always written (an empty message when the given bytes
    /// are empty); schema URLs are written only when non-empty. The input bytes are not
    /// validated — passing malformed messages yields a malformed request.
    /// - Parameters:
    ///   - resource: An encoded `Resource` message (no tag or length prefix).
    ///   - scope: An encoded `InstrumentationScope` message (no tag or length prefix).
    ///   - spans: Encoded `Span` messages (no tag or length prefix), in order.
    ///   - resourceSchemaURL: `ResourceSpans.schema_url`; omitted when empty.
    ///   - scopeSchemaURL: `ScopeSpans.schema_url`; omitted when empty.
    package mutating func addGroup<R: Collection<UInt8>, S: Collection<UInt8>, Spans: Collection>(
        resource: R,
        scope: S,
        spans: Spans,
        resourceSchemaURL: String = "",
        scopeSchemaURL: String = ""
    ) where Spans.Element: Collection<UInt8> {
        let resourceLength = resource.count
        let scopeLength = scope.count
        var spanRecordsSize = 0
        for span in spans { spanRecordsSize += Self.spanRecordSize(encodedSpanLength: span.count) }
        let resourceURLLength = resourceSchemaURL.utf8.count
        let scopeURLLength = scopeSchemaURL.utf8.count

        let scopeSpansLength =
            ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.ScopeSpans.scope, length: scopeLength)
            + spanRecordsSize
            + (scopeURLLength > 0
                ? ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.ScopeSpans.schemaURL, length: scopeURLLength)
                : 0)
        let resourceSpansLength =
            ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.ResourceSpans.resource, length: resourceLength)
            + ProtobufWriter.lengthDelimitedFieldSize(
                field: OTLPField.ResourceSpans.scopeSpans, length: scopeSpansLength)
            + (resourceURLLength > 0
                ? ProtobufWriter.lengthDelimitedFieldSize(
                    field: OTLPField.ResourceSpans.schemaURL, length: resourceURLLength) : 0)

        let needed =
            writer.count
            + ProtobufWriter.lengthDelimitedFieldSize(
                field: OTLPField.ExportTraceServiceRequest.resourceSpans, length: resourceSpansLength)
        if needed > writer.bytes.capacity {
            // Grow geometrically so that many small groups do not reallocate every time.
            writer.bytes.reserveCapacity(Swift.max(needed, writer.bytes.capacity * 2))
        }
        writer.appendTag(field: OTLPField.ExportTraceServiceRequest.resourceSpans, wireType: .lengthDelimited)
        writer.appendVarint(UInt64(resourceSpansLength))
        writer.appendTag(field: OTLPField.ResourceSpans.resource, wireType: .lengthDelimited)
        writer.appendVarint(UInt64(resourceLength))
        writer.bytes.append(contentsOf: resource)
        writer.appendTag(field: OTLPField.ResourceSpans.scopeSpans, wireType: .lengthDelimited)
        writer.appendVarint(UInt64(scopeSpansLength))
        writer.appendTag(field: OTLPField.ScopeSpans.scope, wireType: .lengthDelimited)
        writer.appendVarint(UInt64(scopeLength))
        writer.bytes.append(contentsOf: scope)
        for span in spans {
            writer.appendTag(field: OTLPField.ScopeSpans.spans, wireType: .lengthDelimited)
            writer.appendVarint(UInt64(span.count))
            writer.bytes.append(contentsOf: span)
        }
        if scopeURLLength > 0 { writer.appendString(field: OTLPField.ScopeSpans.schemaURL, scopeSchemaURL) }
        if resourceURLLength > 0 { writer.appendString(field: OTLPField.ResourceSpans.schemaURL, resourceSchemaURL) }
    }

    /// Appends one `ResourceSpans` group, encoding the given values.
    /// Produces the same bytes as encoding each value and calling the byte-based overload.
    package mutating func addGroup(
        resource: OTLPResource,
        scope: OTLPInstrumentationScope,
        spans: [OTLPSpan],
        resourceSchemaURL: String = "",
        scopeSchemaURL: String = ""
    ) {
        writer.appendMessage(field: OTLPField.ExportTraceServiceRequest.resourceSpans) { rs in
            rs.appendMessage(field: OTLPField.ResourceSpans.resource) { resource.encode(into: &$0) }
            rs.appendMessage(field: OTLPField.ResourceSpans.scopeSpans) { ss in
                ss.appendMessage(field: OTLPField.ScopeSpans.scope) { scope.encode(into: &$0) }
                for span in spans {
                    ss.appendMessage(field: OTLPField.ScopeSpans.spans) { span.encode(into: &$0) }
                }
                if !scopeSchemaURL.isEmpty { ss.appendString(field: OTLPField.ScopeSpans.schemaURL, scopeSchemaURL) }
            }
            if !resourceSchemaURL.isEmpty {
                rs.appendString(field: OTLPField.ResourceSpans.schemaURL, resourceSchemaURL)
            }
        }
    }
}
