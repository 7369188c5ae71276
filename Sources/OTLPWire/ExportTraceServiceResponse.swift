/// `opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse`, flattened: the fields of its
/// `partial_success` message.
package struct ExportTraceServiceResponse: Sendable, Equatable {
    /// Number of spans the server rejected; 0 on full success.
    package var rejectedSpans: Int64
    /// Server-provided explanation; empty on full success (may be non-empty as a warning).
    package var errorMessage: String

    /// Creates a response value.
    @inlinable
    package init(rejectedSpans: Int64 = 0, errorMessage: String = "") {
        self.rejectedSpans = rejectedSpans
        self.errorMessage = errorMessage
    }

    /// Whether the server accepted every span with no message.
    @inlinable
    package var isFullSuccess: Bool { rejectedSpans == 0 && errorMessage.isEmpty }

    /// Decodes a response body. An empty body means full success.
    /// - Throws: ``OTLPDecodingError`` on malformed input; never traps.
    package init<C: Collection<UInt8>>(decoding bytes: C) throws(OTLPDecodingError) {
        self = try withProtobufReader(bytes) { (r: inout ProtobufReader) throws(OTLPDecodingError) in
            var response = ExportTraceServiceResponse()
            while !r.isAtEnd {
                let tag = try r.readTag()
                guard tag.field == OTLPField.ExportTraceServiceResponse.partialSuccess, tag.wireType == .lengthDelimited
                else {
                    try r.skip(tag)
                    continue
                }
                var partial = try r.readMessage()
                while !partial.isAtEnd {
                    let inner = try partial.readTag()
                    switch (inner.field, inner.wireType) {
                    case (OTLPField.ExportTracePartialSuccess.rejectedSpans, .varint):
                        response.rejectedSpans = Int64(bitPattern: try partial.readVarint())
                    case (OTLPField.ExportTracePartialSuccess.errorMessage, .lengthDelimited):
                        response.errorMessage = try partial.readString()
                    default: try partial.skip(inner)
                    }
                }
            }
            return response
        }
    }

    /// Encodes this response (mainly for tests and fake servers). Full success encodes as an
    /// empty body.
    package func serialized() -> [UInt8] {
        var writer = ProtobufWriter(capacity: 32)
        if !isFullSuccess {
            writer.appendMessage(field: OTLPField.ExportTraceServiceResponse.partialSuccess) { w in
                if rejectedSpans != 0 {
                    w.appendVarintField(
                        field: OTLPField.ExportTracePartialSuccess.rejectedSpans, UInt64(bitPattern: rejectedSpans))
                }
                if !errorMessage.isEmpty {
                    w.appendString(field: OTLPField.ExportTracePartialSuccess.errorMessage, errorMessage)
                }
            }
        }
        return writer.bytes
    }
}
