/// `opentelemetry.proto.resource.v1.Resource`.
/// Other fields (such as `entity_refs`) are skipped when decoding.
package struct OTLPResource: Sendable, Equatable {
    /// Resource attributes (for example `service.name`).
    package var attributes: [OTLPKeyValue]
    /// Number of attributes dropped by limits.
    package var droppedAttributesCount: UInt32

    /// Creates a resource.
    @inlinable
    package init(attributes: [OTLPKeyValue] = [], droppedAttributesCount: UInt32 = 0) {
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }

    /// Appends the `Resource` message contents (no outer tag or length), omitting defaults.
    package func encode(into writer: inout ProtobufWriter) {
        attributes.encodeAttributes(field: OTLPField.Resource.attributes, into: &writer)
        if droppedAttributesCount != 0 {
            writer.appendVarintField(field: OTLPField.Resource.droppedAttributesCount, UInt64(droppedAttributesCount))
        }
    }

    /// Encodes this resource as a standalone `Resource` message.
    package func serialized() -> [UInt8] {
        var writer = ProtobufWriter(capacity: 128)
        encode(into: &writer)
        return writer.bytes
    }

    /// Decodes a `Resource` message.
    /// - Throws: ``OTLPDecodingError`` on malformed input; never traps.
    package init<C: Collection<UInt8>>(decoding bytes: C) throws(OTLPDecodingError) {
        self = try withProtobufReader(bytes) { (r: inout ProtobufReader) throws(OTLPDecodingError) in
            try OTLPResource(reader: &r)
        }
    }

    init(reader r: inout ProtobufReader) throws(OTLPDecodingError) {
        self.init()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch (tag.field, tag.wireType) {
            case (OTLPField.Resource.attributes, .lengthDelimited): try attributes.appendDecoded(from: &r)
            case (OTLPField.Resource.droppedAttributesCount, .varint):
                droppedAttributesCount = UInt32(truncatingIfNeeded: try r.readVarint())
            default: try r.skip(tag)
            }
        }
    }
}
