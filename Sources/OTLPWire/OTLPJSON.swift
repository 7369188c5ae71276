import SpoolBase

/// OTLP/JSON encoding (the OTLP/HTTP `application/json` format).
///
/// Follows the OTLP JSON mapping: lowerCamelCase field names; trace and span ids as lowercase
/// hex strings (the OTLP exception to proto3 JSON's base64); 64-bit integers (`*UnixNano`,
/// `intValue`) as decimal strings; enums as integers; `bytesValue` as base64; fields holding
/// proto3 default values omitted. Non-finite doubles are written as `"NaN"`, `"Infinity"`,
/// `"-Infinity"`. Output is always valid UTF-8 JSON; encoding never fails.
package enum OTLPJSON {
    /// Encodes one span as a JSON object (`Span` message).
    package static func encode(_ span: OTLPSpan) -> String {
        var w = JSONWriter(capacity: 512)
        write(span, to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// Appends one span's JSON object as UTF-8 bytes to `output`.
    package static func encode(_ span: OTLPSpan, appendingTo output: inout [UInt8]) {
        var w = JSONWriter(capacity: 0)
        swap(&w.bytes, &output)
        write(span, to: &w)
        swap(&w.bytes, &output)
    }

    /// Encodes one `ExportTraceServiceRequest` with a single `ResourceSpans` holding a single
    /// `ScopeSpans`: `{"resourceSpans":[{"resource":{...},"scopeSpans":[{"scope":{...},"spans":[...]}]}]}`.
    /// Schema URLs are omitted when empty.
    package static func encodeExportRequest(
        resource: OTLPResource,
        scope: OTLPInstrumentationScope,
        spans: [OTLPSpan],
        resourceSchemaURL: String = "",
        scopeSchemaURL: String = ""
    ) -> String {
        var w = JSONWriter(capacity: 512 * (spans.count + 1))
        w.beginObject()
        w.key("resourceSpans")
        w.beginArray()
        w.beginObject()
        w.key("resource")
        w.beginObject()
        writeAttributes(resource.attributes, to: &w)
        if resource.droppedAttributesCount != 0 {
            w.key("droppedAttributesCount"); w.number(resource.droppedAttributesCount)
        }
        w.endObject()
        w.key("scopeSpans")
        w.beginArray()
        w.beginObject()
        w.key("scope")
        w.beginObject()
        if !scope.name.isEmpty { w.key("name"); w.string(scope.name) }
        if !scope.version.isEmpty { w.key("version"); w.string(scope.version) }
        writeAttributes(scope.attributes, to: &w)
        if scope.droppedAttributesCount != 0 { w.key("droppedAttributesCount"); w.number(scope.droppedAttributesCount) }
        w.endObject()
        w.key("spans")
        w.beginArray()
        for span in spans {
            write(span, to: &w)
        }
        w.endArray()
        if !scopeSchemaURL.isEmpty { w.key("schemaUrl"); w.string(scopeSchemaURL) }
        w.endObject()
        w.endArray()
        if !resourceSchemaURL.isEmpty { w.key("schemaUrl"); w.string(resourceSchemaURL) }
        w.endObject()
        w.endArray()
        w.endObject()
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// Encodes one attribute value as an `AnyValue` JSON object, e.g. `{"stringValue":"x"}`.
    package static func encode(_ value: OTLPValue) -> String {
        var w = JSONWriter(capacity: 32)
        write(value, to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    // MARK: - Internals

    static func write(_ span: OTLPSpan, to w: inout JSONWriter) {
        w.beginObject()
        if !span.traceID.isEmpty { w.key("traceId"); w.hex(span.traceID) }
        if !span.spanID.isEmpty { w.key("spanId"); w.hex(span.spanID) }
        if !span.traceState.isEmpty { w.key("traceState"); w.string(span.traceState) }
        if !span.parentSpanID.isEmpty { w.key("parentSpanId"); w.hex(span.parentSpanID) }
        if span.flags != 0 { w.key("flags"); w.number(span.flags) }
        if !span.name.isEmpty { w.key("name"); w.string(span.name) }
        if span.kind.rawValue != 0 { w.key("kind"); w.number(span.kind.rawValue) }
        if span.startTimeUnixNano != 0 { w.key("startTimeUnixNano"); w.quotedNumber(span.startTimeUnixNano) }
        if span.endTimeUnixNano != 0 { w.key("endTimeUnixNano"); w.quotedNumber(span.endTimeUnixNano) }
        writeAttributes(span.attributes, to: &w)
        if span.droppedAttributesCount != 0 { w.key("droppedAttributesCount"); w.number(span.droppedAttributesCount) }
        if !span.events.isEmpty {
            w.key("events")
            w.beginArray()
            for event in span.events {
                w.beginObject()
                if event.timeUnixNano != 0 { w.key("timeUnixNano"); w.quotedNumber(event.timeUnixNano) }
                if !event.name.isEmpty { w.key("name"); w.string(event.name) }
                writeAttributes(event.attributes, to: &w)
                if event.droppedAttributesCount != 0 {
                    w.key("droppedAttributesCount"); w.number(event.droppedAttributesCount)
                }
                w.endObject()
            }
            w.endArray()
        }
        if span.droppedEventsCount != 0 { w.key("droppedEventsCount"); w.number(span.droppedEventsCount) }
        if !span.links.isEmpty {
            w.key("links")
            w.beginArray()
            for link in span.links {
                w.beginObject()
                if !link.traceID.isEmpty { w.key("traceId"); w.hex(link.traceID) }
                if !link.spanID.isEmpty { w.key("spanId"); w.hex(link.spanID) }
                if !link.traceState.isEmpty { w.key("traceState"); w.string(link.traceState) }
                writeAttributes(link.attributes, to: &w)
                if link.droppedAttributesCount != 0 {
                    w.key("droppedAttributesCount"); w.number(link.droppedAttributesCount)
                }
                if link.flags != 0 { w.key("flags"); w.number(link.flags) }
                w.endObject()
            }
            w.endArray()
        }
        if span.droppedLinksCount != 0 { w.key("droppedLinksCount"); w.number(span.droppedLinksCount) }
        if !span.status.isDefault {
            w.key("status")
            w.beginObject()
            if !span.status.message.isEmpty { w.key("message"); w.string(span.status.message) }
            if span.status.code.rawValue != 0 { w.key("code"); w.number(span.status.code.rawValue) }
            w.endObject()
        }
        w.endObject()
    }

    static func writeAttributes(_ attributes: [OTLPKeyValue], to w: inout JSONWriter) {
        guard !attributes.isEmpty else { return }
        w.key("attributes")
        writeKeyValues(attributes, to: &w)
    }

    static func writeKeyValues(_ pairs: [OTLPKeyValue], to w: inout JSONWriter) {
        w.beginArray()
        for kv in pairs {
            w.beginObject()
            w.key("key")
            w.string(kv.key)
            w.key("value")
            write(kv.value, to: &w)
            w.endObject()
        }
        w.endArray()
    }

    static func write(_ value: OTLPValue, to w: inout JSONWriter) {
        w.beginObject()
        switch value {
        case .string(let s):
            w.key("stringValue"); w.string(s)
        case .bool(let b):
            w.key("boolValue"); w.bool(b)
        case .int(let i):
            w.key("intValue"); w.quotedNumber(i)
        case .double(let d):
            w.key("doubleValue"); w.proto3Double(d)
        case .bytes(let b):
            w.key("bytesValue"); w.base64(b)
        case .array(let values):
            w.key("arrayValue")
            w.beginObject()
            w.key("values")
            w.beginArray()
            for v in values {
                write(v, to: &w)
            }
            w.endArray()
            w.endObject()
        case .kvlist(let pairs):
            w.key("kvlistValue")
            w.beginObject()
            w.key("values")
            writeKeyValues(pairs, to: &w)
            w.endObject()
        case .empty:
            break
        }
        w.endObject()
    }
}
