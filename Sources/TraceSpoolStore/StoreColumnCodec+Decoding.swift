package import OTLPWire
import SpoolBase

extension StoreColumnCodec {
    /// The attributes of a JSON object text, in key order; nil when the text is not a JSON object.
    package static func decodeAttributes(_ text: String) -> [OTLPKeyValue]? {
        guard case .kvlist(let pairs)? = document(text) else { return nil }
        return pairs
    }

    /// The events of an `events_json` text; nil when it is not a JSON array of objects. A field that is missing or
    /// of another type keeps its default; unknown fields are ignored.
    package static func decodeEvents(_ text: String) -> [OTLPEvent]? {
        objects(text) { fields in
            var event = OTLPEvent()
            for field in fields {
                switch (field.key, field.value) {
                case ("name", .string(let s)): event.name = s
                case ("time_unix_nano", .int(let t)): event.timeUnixNano = UInt64(bitPattern: t)
                case ("attributes", .kvlist(let a)): event.attributes = a
                default: break
                }
            }
            return event
        }
    }

    /// The links of a `links_json` text; nil when it is not a JSON array of objects or an id is not hex. A field
    /// that is missing or of another type keeps its default; unknown fields are ignored.
    package static func decodeLinks(_ text: String) -> [OTLPLink]? {
        objects(text) { fields in
            var link = OTLPLink()
            for field in fields {
                switch (field.key, field.value) {
                case ("traceId", .string(let s)):
                    guard let id = Hex.bytes(fromHex: s) else { return nil }
                    link.traceID = id
                case ("spanId", .string(let s)):
                    guard let id = Hex.bytes(fromHex: s) else { return nil }
                    link.spanID = id
                case ("traceState", .string(let s)): link.traceState = s
                case ("attributes", .kvlist(let a)): link.attributes = a
                case ("droppedAttributesCount", .int(let n)):
                    link.droppedAttributesCount = UInt32(truncatingIfNeeded: n)
                case ("flags", .int(let n)): link.flags = UInt32(truncatingIfNeeded: n)
                default: break
                }
            }
            return link
        }
    }

    /// Each object of a JSON array text, converted by `make`; nil when the text is not an array of objects or
    /// `make` returns nil for one.
    private static func objects<T>(_ text: String, _ make: ([OTLPKeyValue]) -> T?) -> [T]? {
        guard case .array(let items)? = document(text) else { return nil }
        var result: [T] = []
        for item in items {
            guard case .kvlist(let fields) = item, let value = make(fields) else { return nil }
            result.append(value)
        }
        return result
    }

    /// The whole text as an OTLP value; nil when it is not valid JSON.
    private static func document(_ text: String) -> OTLPValue? {
        guard let value = try? JSONReader.parse(text) else { return nil }
        return otlpValue(value)
    }

    /// The OTLP value of a JSON value: integers that fit `Int64` → `.int`, other numbers → `.double`, null →
    /// `.empty`, objects → `.kvlist` in key order.
    private static func otlpValue(_ value: JSONValue) -> OTLPValue {
        switch value {
        case .null: .empty
        case .bool(let b): .bool(b)
        case .number(let n): n.int64.map(OTLPValue.int) ?? .double(n.double)
        case .string(let s): .string(s)
        case .array(let items): .array(items.map(otlpValue))
        case .object(let members): .kvlist(members.map { OTLPKeyValue($0.key, otlpValue($0.value)) })
        }
    }
}
