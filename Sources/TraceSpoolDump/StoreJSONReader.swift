import OTLPWire
import SpoolBase

/// Reads the plain JSON the uploader's SQLite store keeps in `attributes_json`, `events_json` and `links_json` back
/// into OTLP values with `JSONReader`, keeping object key order (so a span reads back with its attributes in the
/// order they were written).
///
/// Mapping: strings → `.string`, numbers written as integers that fit `Int64` → `.int`, other numbers → `.double`,
/// booleans → `.bool`, arrays → `.array`, objects → `.kvlist`, null → `.empty`. Bytes were stored as hex strings
/// and read back as strings. Returns nil for malformed JSON (the caller reports the row).
enum StoreJSONReader {
    /// The attributes of a JSON object text; nil when it is not a JSON object.
    static func attributes(_ text: String) -> [OTLPKeyValue]? {
        guard case .kvlist(let pairs)? = document(text) else { return nil }
        return pairs
    }

    /// The events of a `[{"name":..., "time_unix_nano":..., "attributes":{...}}]` text; nil when malformed.
    static func events(_ text: String) -> [OTLPEvent]? {
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

    /// The links of a `[{"traceId", "spanId", "traceState", "attributes", "droppedAttributesCount", "flags"}]` text
    /// (ids as hex; a missing field keeps its default); nil when malformed or an id is not hex.
    static func links(_ text: String) -> [OTLPLink]? {
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

    /// The OTLP value of a JSON value (see the mapping above).
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
