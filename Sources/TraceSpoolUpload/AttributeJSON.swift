import OTLPWire
import SpoolBase

/// Renders OTLP attribute values as plain JSON for the SQLite store: strings, numbers, booleans, arrays, objects;
/// bytes as lowercase hex strings; empty values as null.
enum AttributeJSON {
    /// `{"key": value, ...}`; later duplicates of a key win.
    static func object(_ attributes: [OTLPKeyValue]) -> String {
        var json = JSONWriter()
        appendObject(attributes, to: &json)
        return json.text
    }

    static func appendObject(_ attributes: [OTLPKeyValue], to json: inout JSONWriter) {
        json.beginObject()
        for kv in attributes {
            json.key(escaping: kv.key)
            append(kv.value, to: &json)
        }
        json.endObject()
    }

    /// `value` as plain JSON: doubles in Swift's shortest form, NaN and infinities as `null`.
    static func append(_ value: OTLPValue, to json: inout JSONWriter) {
        switch value {
        case .string(let s): json.string(s)
        case .bool(let b): json.bool(b)
        case .int(let i): json.number(i)
        case .double(let d): json.double(d)
        case .bytes(let b): json.hex(b)
        case .array(let values):
            json.beginArray()
            for v in values { append(v, to: &json) }
            json.endArray()
        case .kvlist(let pairs): appendObject(pairs, to: &json)
        case .empty: json.null()
        }
    }

    /// The events as `[{"name":..., "time_unix_nano":..., "attributes":{...}}]`.
    static func events(_ events: [OTLPEvent]) -> String {
        var json = JSONWriter()
        json.beginArray()
        for e in events {
            json.beginObject()
            json.key("name"); json.string(e.name)
            json.key("time_unix_nano"); json.number(Int64(bitPattern: e.timeUnixNano))
            json.key("attributes"); appendObject(e.attributes, to: &json)
            json.endObject()
        }
        json.endArray()
        return json.text
    }

    /// The links as OTLP/JSON `Span.Link` field names with the store's value forms (ids as lowercase hex,
    /// attributes as a JSON object as in `attributes_json`, counts and flags as numbers), every field present:
    /// `[{"traceId", "spanId", "traceState", "attributes", "droppedAttributesCount", "flags"}]`.
    static func links(_ links: [OTLPLink]) -> String {
        var json = JSONWriter()
        json.beginArray()
        for link in links {
            json.beginObject()
            json.key("traceId"); json.hex(link.traceID)
            json.key("spanId"); json.hex(link.spanID)
            json.key("traceState"); json.string(link.traceState)
            json.key("attributes"); appendObject(link.attributes, to: &json)
            json.key("droppedAttributesCount"); json.number(link.droppedAttributesCount)
            json.key("flags"); json.number(link.flags)
            json.endObject()
        }
        json.endArray()
        return json.text
    }

    /// The string form of an attribute for a text column (strings as is, others as JSON); nil when absent.
    static func text(_ attributes: [OTLPKeyValue], _ key: String) -> String? {
        guard let kv = attributes.last(where: { $0.key == key }) else { return nil }
        if case .string(let s) = kv.value { return s }
        var json = JSONWriter()
        append(kv.value, to: &json)
        return json.text
    }
}
