/// `opentelemetry.proto.common.v1.InstrumentationScope`.
package struct OTLPInstrumentationScope: Sendable, Equatable {
    /// Scope (instrumentation library) name.
    package var name: String
    /// Scope version.
    package var version: String
    /// Scope attributes.
    package var attributes: [OTLPKeyValue]
    /// Number of attributes dropped by limits.
    package var droppedAttributesCount: UInt32

    /// Creates a scope.
    @inlinable
    package init(
        name: String = "", version: String = "", attributes: [OTLPKeyValue] = [], droppedAttributesCount: UInt32 = 0
    ) {
        self.name = name
        self.version = version
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }

    /// Appends the `InstrumentationScope` message contents (no outer tag or length), omitting defaults.
    package func encode(into writer: inout ProtobufWriter) {
        if !name.isEmpty { writer.appendString(field: OTLPField.InstrumentationScope.name, name) }
        if !version.isEmpty { writer.appendString(field: OTLPField.InstrumentationScope.version, version) }
        attributes.encodeAttributes(field: OTLPField.InstrumentationScope.attributes, into: &writer)
        if droppedAttributesCount != 0 {
            writer.appendVarintField(
                field: OTLPField.InstrumentationScope.droppedAttributesCount, UInt64(droppedAttributesCount))
        }
    }

    /// Encodes this scope as a standalone `InstrumentationScope` message.
    package func serialized() -> [UInt8] {
        var writer = ProtobufWriter(capacity: 64)
        encode(into: &writer)
        return writer.bytes
    }

    /// Decodes an `InstrumentationScope` message.
    /// - Throws: ``OTLPDecodingError`` on malformed input; never traps.
    package init<C: Collection<UInt8>>(decoding bytes: C) throws(OTLPDecodingError) {
        self = try withProtobufReader(bytes) { (r: inout ProtobufReader) throws(OTLPDecodingError) in
            try OTLPInstrumentationScope(reader: &r)
        }
    }

    init(reader r: inout ProtobufReader) throws(OTLPDecodingError) {
        self.init()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch (tag.field, tag.wireType) {
            case (OTLPField.InstrumentationScope.name, .lengthDelimited): name = try r.readString()
            case (OTLPField.InstrumentationScope.version, .lengthDelimited): version = try r.readString()
            case (OTLPField.InstrumentationScope.attributes, .lengthDelimited): try attributes.appendDecoded(from: &r)
            case (OTLPField.InstrumentationScope.droppedAttributesCount, .varint):
                droppedAttributesCount = UInt32(truncatingIfNeeded: try r.readVarint())
            default: try r.skip(tag)
            }
        }
    }
}
