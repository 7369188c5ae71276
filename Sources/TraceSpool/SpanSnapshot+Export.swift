import SpoolBase
import SpoolFormat
public import Tracing

/// The exported forms of a span and of its trace, after the OpenAI Agents SDK's `Span.export()` and
/// `Trace.export()`: a dictionary of `SpanAttribute` values (absent values left out) and the same as compact JSON
/// text (absent values `null`, the attributes and the trace's metadata as nested objects). Ids are lowercase hex
/// (32 digits for a trace, 16 for a span), times are nanoseconds since the Unix epoch.
extension SpanSnapshot {
    /// The span as a dictionary: `object` (`"trace.span"`), `id`, `trace_id`, `parent_id` (left out for a root),
    /// `name`, `kind` (`internal`, `server`, `client`, `producer`, `consumer`), `type` (the `SpanType` raw value,
    /// left out for a plain span), `started_at_unix_nano`, `ended_at_unix_nano`, `status` (`unset`, `ok`, `error`),
    /// `error` (the status message of an error status, when it has one) and `event_count`. The attributes are in
    /// `attributes` (and nested in `exportJSON()`).
    public func export() -> [String: SpanAttribute] {
        var result: [String: SpanAttribute] = [:]
        for (key, value) in spanFields { result[key] = value }
        return result
    }

    /// `export()` as a JSON object, in the order listed there, with `parent_id`, `type` and `error` `null` when
    /// absent and the attributes as an `attributes` object (keys sorted).
    public func exportJSON() -> String {
        var json = JSONWriter()
        json.beginObject()
        for (key, value) in spanFields {
            json.key(escaping: key)
            if let value { Self.write(value, to: &json) } else { json.null() }
        }
        json.key("attributes")
        json.beginObject()
        var entries: [(String, SpanAttribute)] = []
        attributes.forEach { entries.append(($0, $1)) }
        for (key, value) in entries.sorted(by: { $0.0 < $1.0 }) {
            json.key(escaping: key)
            Self.write(value, to: &json)
        }
        json.endObject()
        json.endObject()
        return json.text
    }

    /// The trace this span is the root of, as the OpenAI Agents SDK's `Trace.export()` writes it: `object`
    /// (`"trace"`), `id` (the trace id), `workflow_name` (this span's name), `group_id` (the `session.id` attribute,
    /// left out when absent) and `metadata` (the `metadata` attribute's JSON text, left out when absent). Nil unless
    /// the span is a trace's root in this process (`isLocalRoot`) or a `trace` span (`SpoolTracer.trace`).
    public func exportTrace() -> [String: SpanAttribute]? {
        guard isLocalRoot || type == .trace else { return nil }
        return TraceExport(traceID: traceID, name: name, attributes: attributes).dictionary
    }

    /// `exportTrace()` as a JSON object: `group_id` and `metadata` `null` when absent, `metadata` nested as an object
    /// when its text is a JSON object. Nil when `exportTrace()` is.
    public func exportTraceJSON() -> String? {
        guard isLocalRoot || type == .trace else { return nil }
        return TraceExport(traceID: traceID, name: name, attributes: attributes).json
    }

    /// The span's fields in export order (nil: absent).
    private var spanFields: [(String, SpanAttribute?)] {
        let statusText =
            switch status?.code {
            case .ok: "ok"
            case .error: "error"
            default: "unset"
            }
        return [
            ("object", "trace.span"),
            ("id", .string(spanID.description)),
            ("trace_id", .string(traceID.description)),
            ("parent_id", parentSpanID.map { .string($0.description) }),
            ("name", .string(name)),
            ("kind", .string(Self.kindText(kind))),
            ("type", type.map { .string($0.rawValue) }),
            ("started_at_unix_nano", .int64(Int64(clamping: startNanos))),
            ("ended_at_unix_nano", .int64(Int64(clamping: endNanos))),
            ("status", .string(statusText)),
            ("error", isError ? status?.message.map { .string($0) } : nil),
            ("event_count", .int64(Int64(eventCount))),
        ]
    }

    static func kindText(_ kind: SpanKind) -> String {
        switch kind {
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        default: "internal"
        }
    }

    /// Writes an attribute value as JSON (arrays as arrays; NaN and infinities as `null`).
    static func write(_ value: SpanAttribute, to json: inout JSONWriter) {
        switch value {
        case .int32(let v): json.number(v)
        case .int64(let v): json.number(v)
        case .double(let v): json.double(v)
        case .bool(let v): json.bool(v)
        case .string(let v): json.string(v)
        case .int32Array(let vs):
            json.beginArray()
            for v in vs { json.number(v) }
            json.endArray()
        case .int64Array(let vs):
            json.beginArray()
            for v in vs { json.number(v) }
            json.endArray()
        case .doubleArray(let vs):
            json.beginArray()
            for v in vs { json.double(v) }
            json.endArray()
        case .boolArray(let vs):
            json.beginArray()
            for v in vs { json.bool(v) }
            json.endArray()
        case .stringArray(let vs):
            json.beginArray()
            for v in vs { json.string(v) }
            json.endArray()
        default: json.string(String(describing: value))
        }
    }
}

/// The exported form of a trace (`SpanSnapshot.exportTrace()`, `SpoolSpan.exportTrace()`).
struct TraceExport {
    var traceID: TraceID
    var name: String
    var groupID: String?
    var metadata: String?

    init(traceID: TraceID, name: String, attributes: SpanAttributes) {
        self.traceID = traceID
        self.name = name
        if case .string(let v)? = attributes.get(AttributeNames.sessionID) { groupID = v }
        if case .string(let v)? = attributes.get(AttributeNames.metadata) { metadata = v }
    }

    var dictionary: [String: SpanAttribute] {
        var result: [String: SpanAttribute] = [
            "object": "trace", "id": .string(traceID.description), "workflow_name": .string(name),
        ]
        if let groupID { result["group_id"] = .string(groupID) }
        if let metadata { result["metadata"] = .string(metadata) }
        return result
    }

    var json: String {
        var json = JSONWriter()
        json.beginObject()
        json.key("object")
        json.string("trace")
        json.key("id")
        json.string(traceID.description)
        json.key("workflow_name")
        json.string(name)
        json.key("group_id")
        if let groupID { json.string(groupID) } else { json.null() }
        json.key("metadata")
        if let metadata, let parsed = try? JSONReader.parse(metadata), case .object = parsed {
            json.value(parsed)
        } else if let metadata {
            json.string(metadata)
        } else {
            json.null()
        }
        json.endObject()
        return json.text
    }
}
