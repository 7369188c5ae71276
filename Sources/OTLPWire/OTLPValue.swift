/// An OTLP `AnyValue`: the value of an attribute.
///
/// Encodes as `opentelemetry.proto.common.v1.AnyValue`.
package enum OTLPValue: Sendable, Equatable {
    /// A UTF-8 string (`string_value`).
    case string(String)
    /// A boolean (`bool_value`).
    case bool(Bool)
    /// A signed 64-bit integer (`int_value`).
    case int(Int64)
    /// A 64-bit IEEE-754 double (`double_value`).
    case double(Double)
    /// Raw bytes (`bytes_value`).
    case bytes([UInt8])
    /// A homogeneous or heterogeneous list (`array_value`).
    case array([OTLPValue])
    /// A nested list of key/value pairs (`kvlist_value`).
    case kvlist([OTLPKeyValue])
    /// An `AnyValue` with no field set (OTLP's "empty"/null value). Decoding produces it for an
    /// empty or unrecognised `AnyValue` and for a `KeyValue` without a value.
    case empty

    /// Appends this value's `AnyValue` message contents (without tag or length) to `writer`.
    @inlinable
    package func encodeAnyValueBody(into writer: inout ProtobufWriter) {
        switch self {
        case .string(let s):
            writer.appendString(field: OTLPField.AnyValue.stringValue, s)
        case .bool(let b):
            writer.appendVarintField(field: OTLPField.AnyValue.boolValue, b ? 1 : 0)
        case .int(let i):
            writer.appendVarintField(field: OTLPField.AnyValue.intValue, UInt64(bitPattern: i))
        case .double(let d):
            writer.appendDoubleField(field: OTLPField.AnyValue.doubleValue, d)
        case .bytes(let b):
            writer.appendLengthDelimited(field: OTLPField.AnyValue.bytesValue, bytes: b)
        case .array(let values):
            writer.appendMessage(field: OTLPField.AnyValue.arrayValue) { w in
                for v in values {
                    w.appendMessage(field: OTLPField.ArrayValue.values) { v.encodeAnyValueBody(into: &$0) }
                }
            }
        case .kvlist(let pairs):
            writer.appendMessage(field: OTLPField.AnyValue.kvlistValue) { w in
                for kv in pairs {
                    w.appendMessage(field: OTLPField.KeyValueList.values) { kv.encodeKeyValueBody(into: &$0) }
                }
            }
        case .empty:
            break
        }
    }

    /// Encodes this value as a standalone `AnyValue` message.
    package func serializedAnyValue() -> [UInt8] {
        var writer = ProtobufWriter(capacity: 32)
        encodeAnyValueBody(into: &writer)
        return writer.bytes
    }

    /// Decodes a standalone `AnyValue` message.
    /// - Throws: ``OTLPDecodingError`` on malformed input; never traps.
    package init<C: Collection<UInt8>>(decodingAnyValue bytes: C) throws(OTLPDecodingError) {
        self = try withProtobufReader(bytes) { (r: inout ProtobufReader) throws(OTLPDecodingError) in
            try OTLPValue(reader: &r)
        }
    }

    init(reader r: inout ProtobufReader) throws(OTLPDecodingError) {
        var value = OTLPValue.empty
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch (tag.field, tag.wireType) {
            case (OTLPField.AnyValue.stringValue, .lengthDelimited):
                value = .string(try r.readString())
            case (OTLPField.AnyValue.boolValue, .varint):
                value = .bool(try r.readVarint() != 0)
            case (OTLPField.AnyValue.intValue, .varint):
                value = .int(Int64(bitPattern: try r.readVarint()))
            case (OTLPField.AnyValue.doubleValue, .fixed64):
                value = .double(Double(bitPattern: try r.readFixed64()))
            case (OTLPField.AnyValue.arrayValue, .lengthDelimited):
                var sub = try r.readMessage()
                var values: [OTLPValue] = []
                while !sub.isAtEnd {
                    let inner = try sub.readTag()
                    if inner.field == OTLPField.ArrayValue.values, inner.wireType == .lengthDelimited {
                        var element = try sub.readMessage()
                        values.append(try OTLPValue(reader: &element))
                    } else {
                        try sub.skip(inner)
                    }
                }
                value = .array(values)
            case (OTLPField.AnyValue.kvlistValue, .lengthDelimited):
                var sub = try r.readMessage()
                var pairs: [OTLPKeyValue] = []
                while !sub.isAtEnd {
                    let inner = try sub.readTag()
                    if inner.field == OTLPField.KeyValueList.values, inner.wireType == .lengthDelimited {
                        var element = try sub.readMessage()
                        pairs.append(try OTLPKeyValue(reader: &element))
                    } else {
                        try sub.skip(inner)
                    }
                }
                value = .kvlist(pairs)
            case (OTLPField.AnyValue.bytesValue, .lengthDelimited):
                value = .bytes(try r.readBytes())
            default:
                try r.skip(tag)
            }
        }
        self = value
    }
}
