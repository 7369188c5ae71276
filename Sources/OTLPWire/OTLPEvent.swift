/// `opentelemetry.proto.trace.v1.Span.Event`.
package struct OTLPEvent: Sendable, Equatable {
    /// Event time in nanoseconds since the Unix epoch.
    package var timeUnixNano: UInt64
    /// Event name.
    package var name: String
    /// Event attributes.
    package var attributes: [OTLPKeyValue]
    /// Number of attributes dropped by limits.
    package var droppedAttributesCount: UInt32

    /// Creates an event.
    @inlinable
    package init(
        timeUnixNano: UInt64 = 0, name: String = "", attributes: [OTLPKeyValue] = [], droppedAttributesCount: UInt32 = 0
    ) {
        self.timeUnixNano = timeUnixNano
        self.name = name
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }

    /// Appends the `Event` message contents (without tag or length), omitting proto3 defaults.
    package func encodeBody(into writer: inout ProtobufWriter) {
        if timeUnixNano != 0 { writer.appendFixed64Field(field: OTLPField.Event.timeUnixNano, timeUnixNano) }
        if !name.isEmpty { writer.appendString(field: OTLPField.Event.name, name) }
        attributes.encodeAttributes(field: OTLPField.Event.attributes, into: &writer)
        if droppedAttributesCount != 0 {
            writer.appendVarintField(field: OTLPField.Event.droppedAttributesCount, UInt64(droppedAttributesCount))
        }
    }

    init(reader r: inout ProtobufReader) throws(OTLPDecodingError) {
        self.init()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch (tag.field, tag.wireType) {
            case (OTLPField.Event.timeUnixNano, .fixed64): timeUnixNano = try r.readFixed64()
            case (OTLPField.Event.name, .lengthDelimited): name = try r.readString()
            case (OTLPField.Event.attributes, .lengthDelimited): try attributes.appendDecoded(from: &r)
            case (OTLPField.Event.droppedAttributesCount, .varint):
                droppedAttributesCount = UInt32(truncatingIfNeeded: try r.readVarint())
            default: try r.skip(tag)
            }
        }
    }
}
