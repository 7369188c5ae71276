/// `opentelemetry.proto.trace.v1.Span.Link`.
package struct OTLPLink: Sendable, Equatable {
    /// Linked trace id (16 bytes when valid; not validated).
    package var traceID: [UInt8]
    /// Linked span id (8 bytes when valid; not validated).
    package var spanID: [UInt8]
    /// W3C trace-state of the linked span.
    package var traceState: String
    /// Link attributes.
    package var attributes: [OTLPKeyValue]
    /// Number of attributes dropped by limits.
    package var droppedAttributesCount: UInt32
    /// W3C trace flags (low 8 bits) plus OTLP context flags (bits 8-9).
    package var flags: UInt32

    /// Creates a link.
    @inlinable
    package init(
        traceID: [UInt8] = [], spanID: [UInt8] = [], traceState: String = "", attributes: [OTLPKeyValue] = [],
        droppedAttributesCount: UInt32 = 0, flags: UInt32 = 0
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceState = traceState
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.flags = flags
    }

    /// Appends the `Link` message contents (without tag or length), omitting proto3 defaults.
    package func encodeBody(into writer: inout ProtobufWriter) {
        if !traceID.isEmpty { writer.appendLengthDelimited(field: OTLPField.Link.traceID, bytes: traceID) }
        if !spanID.isEmpty { writer.appendLengthDelimited(field: OTLPField.Link.spanID, bytes: spanID) }
        if !traceState.isEmpty { writer.appendString(field: OTLPField.Link.traceState, traceState) }
        attributes.encodeAttributes(field: OTLPField.Link.attributes, into: &writer)
        if droppedAttributesCount != 0 {
            writer.appendVarintField(field: OTLPField.Link.droppedAttributesCount, UInt64(droppedAttributesCount))
        }
        if flags != 0 { writer.appendFixed32Field(field: OTLPField.Link.flags, flags) }
    }

    init(reader r: inout ProtobufReader) throws(OTLPDecodingError) {
        self.init()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch (tag.field, tag.wireType) {
            case (OTLPField.Link.traceID, .lengthDelimited): traceID = try r.readBytes()
            case (OTLPField.Link.spanID, .lengthDelimited): spanID = try r.readBytes()
            case (OTLPField.Link.traceState, .lengthDelimited): traceState = try r.readString()
            case (OTLPField.Link.attributes, .lengthDelimited): try attributes.appendDecoded(from: &r)
            case (OTLPField.Link.droppedAttributesCount, .varint):
                droppedAttributesCount = UInt32(truncatingIfNeeded: try r.readVarint())
            case (OTLPField.Link.flags, .fixed32): flags = try r.readFixed32()
            default: try r.skip(tag)
            }
        }
    }
}
