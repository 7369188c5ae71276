import OTLPWire
import TraceSpool
import Tracing

extension RecordedSpan {
    /// The bytes of this span as an OTLP `opentelemetry.proto.trace.v1.Span` message: the body of a span record.
    ///
    /// Fields are written in field-number order and attributes in key order, so equal spans give equal bytes.
    /// `resource` is not written (a segment header holds it); neither are the parts `RecordedSpan` does not keep
    /// (see `init(decoding:)`).
    public func encoded() -> [UInt8] {
        var span = OTLPSpan(
            traceID: traceID.bytes, spanID: spanID.bytes, traceState: traceState,
            parentSpanID: parentSpanID?.bytes ?? [], flags: flags, name: operationName,
            kind: OTLPSpanKind(rawValue: kind.otlpNumber), startTimeUnixNano: startNanosecondsSinceEpoch,
            endTimeUnixNano: endNanosecondsSinceEpoch, attributes: Self.otlpAttributes(attributes),
            droppedAttributesCount: UInt32(clamping: droppedAttributeCount),
            droppedEventsCount: UInt32(clamping: droppedEventCount),
            droppedLinksCount: UInt32(clamping: droppedLinkCount))
        span.events = events.map {
            OTLPEvent(
                timeUnixNano: $0.nanosecondsSinceEpoch, name: $0.name, attributes: Self.otlpAttributes($0.attributes))
        }
        span.links = links.map {
            OTLPLink(
                traceID: $0.traceID.bytes, spanID: $0.spanID.bytes, traceState: $0.traceState,
                attributes: Self.otlpAttributes($0.attributes), flags: $0.flags)
        }
        if let status {
            span.status = OTLPStatus(code: status.code == .ok ? .ok : .error, message: status.message ?? "")
        }
        return span.serialized()
    }

    /// Decodes the body of a span record: an OTLP `Span` message in protobuf wire format, its fields in any order.
    ///
    /// `resource` stays empty. Not kept: the dropped-attribute counts of events and links, unknown fields.
    /// - Throws: `DecodingError` when the bytes are not a well-formed protobuf `Span`, or when its trace id is not
    ///   16 bytes, its span id not 8 bytes, its parent span id neither empty nor 8 bytes, or a link's ids not 16 and
    ///   8 bytes.
    public init(decoding bytes: some Collection<UInt8>) throws(DecodingError) {
        let span: OTLPSpan
        do {
            span = try OTLPSpan(decoding: bytes)
        } catch {
            throw DecodingError(String(describing: error))
        }
        guard let traceID = TraceID(bytes: span.traceID) else {
            throw DecodingError("trace id has \(span.traceID.count) bytes, not 16")
        }
        guard let spanID = SpanID(bytes: span.spanID) else {
            throw DecodingError("span id has \(span.spanID.count) bytes, not 8")
        }
        var parent: SpanID?
        if !span.parentSpanID.isEmpty {
            guard let id = SpanID(bytes: span.parentSpanID) else {
                throw DecodingError("parent span id has \(span.parentSpanID.count) bytes, not 0 or 8")
            }
            parent = id
        }
        var links: [Link] = []
        for (i, link) in span.links.enumerated() {
            guard let linkTrace = TraceID(bytes: link.traceID), let linkSpan = SpanID(bytes: link.spanID) else {
                throw DecodingError(
                    "link \(i) has a trace id of \(link.traceID.count) bytes and a span id of \(link.spanID.count) bytes, "
                        + "not 16 and 8")
            }
            links.append(
                Link(
                    traceID: linkTrace, spanID: linkSpan, traceState: link.traceState, flags: link.flags,
                    attributes: Self.spanAttributes(link.attributes)))
        }
        self.init(
            operationName: span.name, traceID: traceID, spanID: spanID, parentSpanID: parent,
            kind: SpanKind(otlpNumber: span.kind.rawValue), status: Self.spanStatus(span.status),
            startNanosecondsSinceEpoch: span.startTimeUnixNano, endNanosecondsSinceEpoch: span.endTimeUnixNano,
            attributes: Self.spanAttributes(span.attributes),
            events: span.events.map {
                SpanEvent(
                    name: $0.name, at: ManualClock.Instant(nanosecondsSinceEpoch: $0.timeUnixNano),
                    attributes: Self.spanAttributes($0.attributes))
            },
            links: links, droppedAttributeCount: Int(span.droppedAttributesCount),
            droppedEventCount: Int(span.droppedEventsCount), droppedLinkCount: Int(span.droppedLinksCount),
            traceState: span.traceState, flags: span.flags)
    }

    // MARK: OTLP to swift-distributed-tracing

    static func spanStatus(_ status: OTLPStatus) -> SpanStatus? {
        let message = status.message.isEmpty ? nil : status.message
        switch status.code {
        case .ok: return SpanStatus(code: .ok, message: message)
        case .error: return SpanStatus(code: .error, message: message)
        default: return nil
        }
    }

    /// OTLP attributes as `SpanAttributes` (the last value of a repeated key wins).
    static func spanAttributes(_ list: [OTLPKeyValue]) -> SpanAttributes {
        var attributes = SpanAttributes()
        for pair in list { attributes.set(pair.key, value: spanAttribute(pair.value)) }
        return attributes
    }

    static func spanAttribute(_ value: OTLPValue) -> SpanAttribute {
        switch value {
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .int(let i): return .int64(i)
        case .double(let d): return .double(d)
        case .array(let values):
            // An empty array passes the first test: `.stringArray([])`.
            if let strings = elements(values, { if case .string(let s) = $0 { s } else { nil } }) {
                return .stringArray(strings)
            }
            if let ints = elements(values, { if case .int(let i) = $0 { i } else { nil } }) { return .int64Array(ints) }
            if let doubles = elements(values, { if case .double(let d) = $0 { d } else { nil } }) {
                return .doubleArray(doubles)
            }
            if let bools = elements(values, { if case .bool(let b) = $0 { b } else { nil } }) {
                return .boolArray(bools)
            }
            return .stringConvertible(attributeValue(value))
        case .bytes, .kvlist, .empty: return .stringConvertible(attributeValue(value))
        }
    }

    /// The elements of `values` when `extract` accepts every one of them.
    private static func elements<T>(_ values: [OTLPValue], _ extract: (OTLPValue) -> T?) -> [T]? {
        var out: [T] = []
        out.reserveCapacity(values.count)
        for value in values {
            guard let element = extract(value) else { return nil }
            out.append(element)
        }
        return out
    }

    static func attributeValue(_ value: OTLPValue) -> AttributeValue {
        switch value {
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .bytes(let b): .bytes(b)
        case .array(let values): .array(values.map(attributeValue))
        case .kvlist(let pairs):
            .keyValueList(Dictionary(pairs.map { ($0.key, attributeValue($0.value)) }, uniquingKeysWith: { $1 }))
        case .empty: .empty
        }
    }

    // MARK: swift-distributed-tracing to OTLP

    /// `attributes` as OTLP key-values, in key order.
    static func otlpAttributes(_ attributes: SpanAttributes) -> [OTLPKeyValue] {
        var list: [OTLPKeyValue] = []
        list.reserveCapacity(attributes.count)
        attributes.forEach { key, value in list.append(OTLPKeyValue(key, otlpValue(value))) }
        return list.sorted { $0.key < $1.key }
    }

    static func otlpValue(_ attribute: SpanAttribute) -> OTLPValue {
        switch attribute {
        case .string(let s): .string(s)
        case .int64(let i): .int(i)
        case .int32(let i): .int(Int64(i))
        case .double(let d): .double(d)
        case .bool(let b): .bool(b)
        case .stringArray(let a): .array(a.map { .string($0) })
        case .int64Array(let a): .array(a.map { .int($0) })
        case .int32Array(let a): .array(a.map { .int(Int64($0)) })
        case .doubleArray(let a): .array(a.map { .double($0) })
        case .boolArray(let a): .array(a.map { .bool($0) })
        case .stringConvertible(let c): otlpValue(c)
        case .stringConvertibleArray(let a): .array(a.map(otlpValue))
        default: .empty
        }
    }

    /// A string-convertible value: the OTLP value it holds when it is an `AttributeValue`, else its description.
    private static func otlpValue(_ convertible: any CustomStringConvertible & Sendable) -> OTLPValue {
        guard let value = convertible as? AttributeValue else { return .string(convertible.description) }
        return otlpValue(value)
    }

    static func otlpValue(_ value: AttributeValue) -> OTLPValue {
        switch value {
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .bytes(let b): .bytes(b)
        case .array(let values): .array(values.map(otlpValue))
        case .keyValueList(let pairs):
            .kvlist(pairs.sorted { $0.key < $1.key }.map { OTLPKeyValue($0.key, otlpValue($0.value)) })
        case .empty: .empty
        }
    }
}
