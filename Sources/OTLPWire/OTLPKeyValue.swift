/// An OTLP `KeyValue` (`opentelemetry.proto.common.v1.KeyValue`): one attribute.
package struct OTLPKeyValue: Sendable, Equatable {
    /// The attribute key.
    package var key: String
    /// The attribute value.
    package var value: OTLPValue

    /// Creates an attribute.
    @inlinable
    package init(_ key: String, _ value: OTLPValue) {
        self.key = key
        self.value = value
    }

    /// Creates an attribute.
    @inlinable
    package init(key: String, value: OTLPValue) {
        self.key = key
        self.value = value
    }

    /// Appends this pair's `KeyValue` message contents (without tag or length) to `writer`.
    /// The key is omitted when empty (proto3 default); the value is always written.
    @inlinable
    package func encodeKeyValueBody(into writer: inout ProtobufWriter) {
        if !key.isEmpty { writer.appendString(field: OTLPField.KeyValue.key, key) }
        writer.appendMessage(field: OTLPField.KeyValue.value) { value.encodeAnyValueBody(into: &$0) }
    }

    /// Appends this pair as a repeated `KeyValue` field with number `field` (tag + length + message).
    @inlinable
    package func encode(asField field: Int, into writer: inout ProtobufWriter) {
        writer.appendMessage(field: field) { encodeKeyValueBody(into: &$0) }
    }

    init(reader r: inout ProtobufReader) throws(OTLPDecodingError) {
        var key = ""
        var value = OTLPValue.empty
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch (tag.field, tag.wireType) {
            case (OTLPField.KeyValue.key, .lengthDelimited):
                key = try r.readString()
            case (OTLPField.KeyValue.value, .lengthDelimited):
                var sub = try r.readMessage()
                value = try OTLPValue(reader: &sub)
            default:
                try r.skip(tag)
            }
        }
        self.init(key: key, value: value)
    }
}

extension Array where Element == OTLPKeyValue {
    /// Appends every attribute as a repeated `KeyValue` field numbered `field`.
    package func encodeAttributes(field: Int, into writer: inout ProtobufWriter) {
        for kv in self { kv.encode(asField: field, into: &writer) }
    }

    /// Decodes one `KeyValue` from a length-delimited field and appends it.
    mutating func appendDecoded(from r: inout ProtobufReader) throws(OTLPDecodingError) {
        var sub = try r.readMessage()
        append(try OTLPKeyValue(reader: &sub))
    }
}
