package import OTLPWire
import SpoolBase

/// The plain JSON the store keeps in `resource_json`, `attributes_json`, `events_json` and `links_json`, written with
/// `JSONWriter` and read back with `JSONReader` (`StoreColumnCodec+Decoding.swift`).
///
/// Values: strings, numbers, booleans, arrays and objects as JSON; doubles in Swift's shortest form, NaN and
/// infinities as `null`; bytes as lowercase hex strings; empty values as `null`. Attributes are a JSON object in
/// record order (a key written twice appears twice). Events are `[{"name", "time_unix_nano", "attributes"}]`; links
/// keep the OTLP/JSON `Span.Link` field names with the store's value forms: `[{"traceId", "spanId", "traceState",
/// "attributes", "droppedAttributesCount", "flags"}]`, ids as lowercase hex, every field present.
///
/// Read back, an integer that fits `Int64` is `.int` and any other number `.double`, `null` is `.empty`, and bytes
/// come back as their hex strings; everything else reads back as written, in the order written.
package enum StoreColumnCodec {
    /// `attributes` as a JSON object: `{"key": value, ...}`.
    package static func encode(attributes: [OTLPKeyValue]) -> String {
        var json = JSONWriter()
        appendObject(attributes, to: &json)
        return json.text
    }

    /// `events` as `[{"name":..., "time_unix_nano":..., "attributes":{...}}]`.
    package static func encode(events: [OTLPEvent]) -> String {
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

    /// `links` as `[{"traceId", "spanId", "traceState", "attributes", "droppedAttributesCount", "flags"}]`.
    package static func encode(links: [OTLPLink]) -> String {
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

    /// The value of attribute `key` for a text column (`service_name`, `session_id`, ...): a string as it is, any
    /// other value as its JSON; nil when the attribute is absent. When the key repeats, the last value counts.
    package static func text(of key: String, in attributes: [OTLPKeyValue]) -> String? {
        guard let kv = attributes.last(where: { $0.key == key }) else { return nil }
        if case .string(let s) = kv.value { return s }
        var json = JSONWriter()
        append(kv.value, to: &json)
        return json.text
    }

    private static func appendObject(_ attributes: [OTLPKeyValue], to json: inout JSONWriter) {
        json.beginObject()
        for kv in attributes {
            json.key(escaping: kv.key)
            append(kv.value, to: &json)
        }
        json.endObject()
    }

    private static func append(_ value: OTLPValue, to json: inout JSONWriter) {
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
}
