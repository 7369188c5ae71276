import OTLPWire
import SpoolFormat
import Tracing

/// Encodes spans as OTLP `Span` protobuf messages, framed as `RecordType.span` records, straight into a buffer.
struct SpanRecordEncoder {
    /// The maximum UTF-8 bytes of a string value (0 = unlimited).
    var valueLengthLimit: Int
    /// The maximum attributes per span (applied here to attributes set through the dictionary).
    var countLimit: Int

    /// Appends one span record to `w`: the span body is encoded into `scratch` (reused, so no allocation once
    /// warm), then the record header and the body are appended. Returns the body length in bytes.
    @inline(__always)
    func appendSpanRecord(
        _ storage: SpanStorage, _ state: borrowing SpanState, endNanos: UInt64, into w: inout ProtobufWriter,
        scratch: inout ProtobufWriter
    ) -> Int {
        scratch.reset()
        encodeSpan(storage, state, endNanos: endNanos, into: &scratch)
        let length = scratch.count
        guard length <= SpoolLimits.maxRecordBytes else { return length }
        w.bytes.append(RecordType.span.rawValue)
        w.appendVarint(UInt64(length))
        scratch.bytes.withUnsafeBytes { w.appendRaw($0) }
        return length
    }

    func encodeSpan(_ s: SpanStorage, _ state: borrowing SpanState, endNanos: UInt64, into w: inout ProtobufWriter) {
        s.traceID.withBytes { w.appendLengthDelimited(field: 1, bytes: $0) }
        withUnsafeBytes(of: s.spanID.value.bigEndian) { w.appendLengthDelimited(field: 2, bytes: $0) }
        if !s.traceState.isEmpty { w.appendString(field: 3, s.traceState) }
        if s.parentSpanID.isValid {
            withUnsafeBytes(of: s.parentSpanID.value.bigEndian) { w.appendLengthDelimited(field: 4, bytes: $0) }
        }
        w.appendString(field: 5, state.name)
        w.appendVarintField(field: 6, UInt64(Self.otlpKind(s.kind)))
        w.appendFixed64Field(field: 7, s.startNanos)
        w.appendFixed64Field(field: 8, endNanos)
        for entry in state.attributes { appendKeyValue(field: 9, entry.key, entry.value, into: &w) }
        var dropped = state.droppedAttributes
        if !state.dictionary.isEmpty {
            var emitted = state.attributes.count
            let limit = countLimit
            state.dictionary.forEach { key, value in
                if emitted < limit {
                    appendKeyValue(field: 9, key, value, into: &w)
                    emitted += 1
                } else {
                    dropped &+= 1
                }
            }
        }
        if dropped > 0 { w.appendVarintField(field: 10, UInt64(dropped)) }
        for event in state.events {
            w.appendMessage(field: 11) { e in
                e.appendFixed64Field(field: 1, event.nanosecondsSinceEpoch)
                e.appendString(field: 2, event.name)
                event.attributes.forEach { key, value in appendKeyValue(field: 3, key, value, into: &e) }
            }
        }
        if state.droppedEvents > 0 { w.appendVarintField(field: 12, UInt64(state.droppedEvents)) }
        for link in state.links {
            guard let target = link.context.spoolSpanContext else { continue }
            w.appendMessage(field: 13) { l in
                target.traceID.withBytes { l.appendLengthDelimited(field: 1, bytes: $0) }
                withUnsafeBytes(of: target.spanID.value.bigEndian) { l.appendLengthDelimited(field: 2, bytes: $0) }
                if !target.traceState.isEmpty { l.appendString(field: 3, target.traceState) }
                link.attributes.forEach { key, value in appendKeyValue(field: 4, key, value, into: &l) }
                l.appendFixed32Field(field: 6, UInt32(target.traceFlags) | 0x100 | (target.isRemote ? 0x200 : 0))
            }
        }
        if state.droppedLinks > 0 { w.appendVarintField(field: 14, UInt64(state.droppedLinks)) }
        if state.statusCode != 0 || !state.statusMessage.isEmpty {
            w.appendMessage(field: 15) { st in
                if !state.statusMessage.isEmpty { st.appendString(field: 2, state.statusMessage) }
                if state.statusCode != 0 { st.appendVarintField(field: 3, UInt64(state.statusCode)) }
            }
        }
        w.appendFixed32Field(field: 16, UInt32(s.traceFlags) | 0x100 | (s.parentIsRemote ? 0x200 : 0))
    }

    static func otlpKind(_ kind: SpanKind) -> Int32 {
        switch kind {
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        }
    }

    @inline(__always)
    func appendKeyValue(field: Int, _ key: String, _ value: SpanAttribute, into w: inout ProtobufWriter) {
        w.appendMessage(field: field) { kv in
            kv.appendString(field: 1, key)
            kv.appendMessage(field: 2) { v in appendAnyValueBody(value, into: &v) }
        }
    }

    @inline(__always)
    func appendLimitedString(field: Int, _ string: String, into w: inout ProtobufWriter) {
        let limit = valueLengthLimit
        var s = string
        if limit <= 0 || s.utf8.count <= limit {
            w.appendString(field: field, s)
            return
        }
        s.withUTF8 { utf8 in
            var end = limit
            // Back off to the start of a UTF-8 sequence so the cut value stays valid.
            while end > 0 && utf8[end] & 0xC0 == 0x80 { end -= 1 }
            w.appendLengthDelimited(field: field, bytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[0..<end]))
        }
    }

    func appendAnyValueBody(_ value: SpanAttribute, into v: inout ProtobufWriter) {
        switch value {
        case .string(let s): appendLimitedString(field: 1, s, into: &v)
        case .int64(let i): v.appendVarintField(field: 3, UInt64(bitPattern: i))
        case .int32(let i): v.appendVarintField(field: 3, UInt64(bitPattern: Int64(i)))
        case .double(let d): v.appendDoubleField(field: 4, d)
        case .bool(let b): v.appendVarintField(field: 2, b ? 1 : 0)
        case .stringConvertible(let c): appendLimitedString(field: 1, c.description, into: &v)
        case .stringArray(let a): appendArray(a, into: &v) { appendLimitedString(field: 1, $0, into: &$1) }
        case .int64Array(let a): appendArray(a, into: &v) { $1.appendVarintField(field: 3, UInt64(bitPattern: $0)) }
        case .int32Array(let a):
            appendArray(a, into: &v) { $1.appendVarintField(field: 3, UInt64(bitPattern: Int64($0))) }
        case .doubleArray(let a): appendArray(a, into: &v) { $1.appendDoubleField(field: 4, $0) }
        case .boolArray(let a): appendArray(a, into: &v) { $1.appendVarintField(field: 2, $0 ? 1 : 0) }
        case .stringConvertibleArray(let a):
            appendArray(a, into: &v) { appendLimitedString(field: 1, $0.description, into: &$1) }
        default: break
        }
    }

    private func appendArray<T>(_ items: [T], into v: inout ProtobufWriter, _ each: (T, inout ProtobufWriter) -> Void) {
        v.appendMessage(field: 5) { array in
            for item in items { array.appendMessage(field: 1) { each(item, &$0) } }
        }
    }
}
