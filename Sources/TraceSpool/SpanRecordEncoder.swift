import OTLPWire
import SpoolFormat
import Tracing

/// Encodes spans as OTLP `Span` protobuf messages, framed as `RecordType.span` records, straight into a buffer.
struct SpanRecordEncoder {
    /// The maximum UTF-8 bytes of a string value (0 = unlimited).
    var valueLengthLimit: Int
    /// The maximum attributes per span (applied here to attributes set through the dictionary).
    var countLimit: Int

    /// The common span (no trace state, events, links, status or dropped counts; short name, keys and values) assembled whole on the stack, record header included, and appended with one copy. Returns the
    /// body length, or nil (having written nothing) when the span needs the general path.
    @inline(__always)
    func appendSpanRecordFast(
        _ s: SpanStorage, _ state: borrowing SpanState, dictionary: SpanAttributes?, endNanos: UInt64,
        into w: inout ProtobufWriter
    ) -> Int? {
        guard state.extras == nil, state.statusCode == 0, state.droppedAttributes == 0 else { return nil }
        let name = state.name
        let type = state.type
        // Over the count limit, the general path decides what is dropped.
        if let dictionary, dictionary.count + state.attributes.count > countLimit { return nil }
        // 1,024 bytes: the most `withUnsafeTemporaryAllocation` always puts on the stack. 3 bytes of room for the
        // record header, at most 134 for the prefix, each attribute checked to leave 127 + 29 for the suffix.
        return withUnsafeTemporaryAllocation(byteCount: 1024, alignment: 8) { scratch -> Int? in
            let base = scratch.baseAddress!
            var b = StackBytes(base + 3)
            let limit = 1024 - 3 - 127 - 29
            guard writePrefix(s, name: name, into: &b) else { return nil }
            // The state's array itself (borrowed): a copy would cost a retain and a release.
            let ok = state.attributes.withUnsafeBufferPointer { list -> Bool in
                if let type {
                    let typeValue = AttributeValue.string(type.rawValue)
                    guard writeKeyValue(field: 9, AttributeNames.spanType, typeValue, into: &b) else { return false }
                    if let kind = Self.kind(of: type, list, dictionary) {
                        guard writeKeyValue(field: 9, AttributeNames.openInferenceKind, kind, into: &b) else {
                            return false
                        }
                    }
                }
                // Two loops so that untyped spans, the hot path, pay nothing for the type-key check (measured with
                // `cg.sh typical`: one loop with the check costs ~25 more instructions per span, one local function
                // called with a constant ~840 more).
                if type == nil {
                    for i in list.indices where !Self.isShadowed(i, in: list) {
                        guard b.count <= limit, writeKeyValue(field: 9, list[i].key, list[i].stored, into: &b) else {
                            return false
                        }
                    }
                } else {
                    for i in list.indices
                    where !Self.isShadowed(i, in: list) && !Self.isTypeKey(list[i].key, typed: true) {
                        guard b.count <= limit, writeKeyValue(field: 9, list[i].key, list[i].stored, into: &b) else {
                            return false
                        }
                    }
                }
                guard let dictionary else { return true }
                // Attributes set through the standard `attributes` property, except the type keys (written above)
                // and keys set later through the typed API (in the list).
                var fits = true
                dictionary.forEach { key, value in
                    guard fits, !Self.isReserved(key, typed: type != nil), !Self.contains(key, in: list) else { return }
                    fits = b.count <= limit && writeKeyValue(field: 9, key, value, into: &b)
                }
                return fits
            }
            guard ok else { return nil }
            writeSuffix(s, endNanos: endNanos, into: &b)
            let length = b.count
            // Record header right before the body: type byte + varint length (at most 2 bytes here).
            let headerSize = length < 0x80 ? 2 : 3
            var h = StackBytes(base + 3 - headerSize)
            h.byte(RecordType.span.rawValue)
            h.varint(UInt64(length))
            w.appendBytes(UnsafeRawBufferPointer(start: base + 3 - headerSize, count: headerSize + length))
            return length
        }
    }

    /// Whether entry `i` is shadowed by a later entry of the same key (setAttribute appends without searching;
    /// the last value wins). Keys are compared by UTF-8 length first, which is O(1).
    @inline(__always)
    static func isShadowed(_ i: Int, in list: UnsafeBufferPointer<SpoolAttribute>) -> Bool {
        contains(list[i].key, in: UnsafeBufferPointer(rebasing: list[(i + 1)...]))
    }

    /// Whether `key` is in `list` (keys are compared by UTF-8 length first, which is O(1)). Also: whether a
    /// dictionary entry is overridden by a later typed `setAttribute`.
    @inline(__always)
    static func contains(_ key: String, in list: UnsafeBufferPointer<SpoolAttribute>) -> Bool {
        guard !list.isEmpty else { return false }
        let length = key.utf8.count
        for entry in list where entry.key.utf8.count == length && entry.key == key { return true }
        return false
    }

    /// Whether `key` is the span type key, which a typed span always writes from its type (an attribute of that
    /// name on a typed span is not written: the record would hold the key twice).
    @inline(__always)
    static func isTypeKey(_ key: String, typed: Bool) -> Bool {
        typed && key == AttributeNames.spanType
    }

    /// Whether a dictionary `key` is one of the type keys, which a typed span writes next to its type (see
    /// `kind(of:_:_:)`).
    @inline(__always)
    static func isReserved(_ key: String, typed: Bool) -> Bool {
        typed && (key == AttributeNames.spanType || key == AttributeNames.openInferenceKind)
    }

    /// The `openinference.span.kind` to write next to a typed span's type key: nil when the typed list sets it (the
    /// list writes it), else the dictionary's value when set (a score's `EVALUATOR`, an `EMBEDDING` or `RERANKER`
    /// span), else the kind the type implies. Written up front, so the attribute count limit never drops it and the
    /// key appears once.
    static func kind(
        of type: SpanType, _ list: UnsafeBufferPointer<SpoolAttribute>, _ dictionary: SpanAttributes?
    ) -> SpanAttribute? {
        if contains(AttributeNames.openInferenceKind, in: list) { return nil }
        return dictionary?.get(AttributeNames.openInferenceKind) ?? .string(type.openInferenceKind)
    }

    /// Appends one span record to `w`, encoding the body in place (no intermediate buffer): the record header's
    /// one-byte length is reserved first and patched afterwards; a body of 128 bytes or more moves up by the extra
    /// varint bytes. A body over `SpoolLimits.maxRecordBytes` is removed again. Returns the body length in bytes.
    @inline(__always)
    func appendSpanRecord(
        _ storage: SpanStorage, _ state: borrowing SpanState, dictionary: SpanAttributes?, endNanos: UInt64,
        into w: inout ProtobufWriter
    ) -> Int {
        if let length = appendSpanRecordFast(storage, state, dictionary: dictionary, endNanos: endNanos, into: &w) {
            return length
        }
        let start = w.count
        w.bytes.append(RecordType.span.rawValue)
        w.bytes.append(0)  // length placeholder
        encodeSpan(storage, state, dictionary: dictionary, endNanos: endNanos, into: &w)
        let length = w.count - start - 2
        guard length <= SpoolLimits.maxRecordBytes else {
            w.bytes.removeLast(w.count - start)
            return length
        }
        if length < 0x80 {
            w.bytes[start + 1] = UInt8(truncatingIfNeeded: length)
        } else {
            let size = ProtobufWriter.varintSize(UInt64(length))
            w.bytes.insert(contentsOf: repeatElement(0, count: size - 1), at: start + 2)
            var v = UInt64(length)
            var i = start + 1
            while v >= 0x80 {
                w.bytes[i] = UInt8(truncatingIfNeeded: v) | 0x80
                v >>= 7
                i += 1
            }
            w.bytes[i] = UInt8(truncatingIfNeeded: v)
        }
        return length
    }

    func encodeSpan(
        _ s: SpanStorage, _ state: borrowing SpanState, dictionary: SpanAttributes?, endNanos: UInt64,
        into w: inout ProtobufWriter
    ) {
        if !appendPrefixFast(s, name: state.name, into: &w) {
            s.traceID.withBytes { w.appendLengthDelimited(field: 1, bytes: $0) }
            if !s.traceState.isEmpty { w.appendString(field: 3, s.traceState) }
            if s.parentSpanID.isValid {
                withUnsafeBytes(of: s.parentSpanID.value.bigEndian) { w.appendLengthDelimited(field: 4, bytes: $0) }
            }
            w.appendString(field: 5, state.name)
            w.appendVarintField(field: 6, UInt64(Self.otlpKind(s.kind)))
            w.appendFixed32Field(field: 16, Self.flags(s))
        }
        var emitted = 0
        var dropped = state.droppedAttributes
        state.attributes.withUnsafeBufferPointer { list in
            if let type = state.type {
                appendKeyValue(field: 9, AttributeNames.spanType, .string(type.rawValue), into: &w)
                if let kind = Self.kind(of: type, list, dictionary) {
                    appendKeyValue(field: 9, AttributeNames.openInferenceKind, kind, into: &w)
                }
            }
            for i in list.indices {
                let shadowed = Self.isShadowed(i, in: list)
                if !shadowed && !Self.isTypeKey(list[i].key, typed: state.type != nil) {
                    appendKeyValue(field: 9, list[i].key, list[i].value, into: &w)
                    emitted += 1
                }
            }
            guard let dictionary else { return }
            let limit = countLimit
            let typed = state.type != nil
            dictionary.forEach { key, value in
                guard !Self.isReserved(key, typed: typed), !Self.contains(key, in: list) else { return }
                if emitted < limit {
                    appendKeyValue(field: 9, key, value, into: &w)
                    emitted += 1
                } else {
                    dropped &+= 1
                }
            }
        }
        if dropped > 0 { w.appendVarintField(field: 10, UInt64(dropped)) }
        let extras = state.extras
        for event in extras?.events ?? [] {
            w.appendMessage(field: 11) { e in
                e.appendFixed64Field(field: 1, event.nanosecondsSinceEpoch)
                e.appendString(field: 2, event.name)
                event.attributes.forEach { key, value in appendKeyValue(field: 3, key, value, into: &e) }
            }
        }
        if let extras, extras.droppedEvents > 0 { w.appendVarintField(field: 12, UInt64(extras.droppedEvents)) }
        for link in extras?.links ?? [] {
            guard let target = link.context.spoolSpanContext else { continue }
            w.appendMessage(field: 13) { l in
                target.traceID.withBytes { l.appendLengthDelimited(field: 1, bytes: $0) }
                withUnsafeBytes(of: target.spanID.value.bigEndian) { l.appendLengthDelimited(field: 2, bytes: $0) }
                if !target.traceState.isEmpty { l.appendString(field: 3, target.traceState) }
                link.attributes.forEach { key, value in appendKeyValue(field: 4, key, value, into: &l) }
                l.appendFixed32Field(field: 6, UInt32(target.traceFlags) | 0x100 | (target.isRemote ? 0x200 : 0))
            }
        }
        if let extras, extras.droppedLinks > 0 { w.appendVarintField(field: 14, UInt64(extras.droppedLinks)) }
        let statusMessage = state.statusMessage
        if state.statusCode != 0 || !statusMessage.isEmpty {
            w.appendMessage(field: 15) { st in
                if !statusMessage.isEmpty { st.appendString(field: 2, statusMessage) }
                if state.statusCode != 0 { st.appendVarintField(field: 3, UInt64(state.statusCode)) }
            }
        }
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { scratch in
            var b = StackBytes(scratch.baseAddress!)
            writeSuffix(s, endNanos: endNanos, into: &b)
            w.appendBytes(b.bytes)
        }
    }

    /// The OTLP `flags` field: the W3C trace flags plus the "parent is known remote or local" bits.
    @inline(__always)
    static func flags(_ s: SpanStorage) -> UInt32 {
        UInt32(s.traceFlags) | 0x100 | (s.parentIsRemote ? 0x200 : 0)
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
        if appendKeyValueFast(field: field, key, value, into: &w) { return }
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
            w.appendLengthDelimited(
                field: field, bytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[0..<end]))
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

    /// The prefix (fields 1, 4, 5, 6, 16) assembled on the stack and appended with one copy. Returns false (and
    /// writes nothing) when the span has a trace state or a name of 100 bytes or more.
    @inline(__always)
    func appendPrefixFast(_ s: SpanStorage, name: String, into w: inout ProtobufWriter) -> Bool {
        withUnsafeTemporaryAllocation(byteCount: 160, alignment: 8) { scratch -> Bool in
            var b = StackBytes(scratch.baseAddress!)
            guard writePrefix(s, name: name, into: &b) else { return false }
            w.appendBytes(b.bytes)
            return true
        }
    }

    // Field order. Protobuf readers accept fields in any order; the tracer writes what repeats from span to span
    // (trace id, parent id, name, kind, flags, attributes) first and what never repeats (span id, start and end
    // times) last, so LZ4 finds one long match per span instead of several short ones: about 10 % fewer bytes
    // on disk for typical spans (Spool/FORMAT.md, "Span records").

    /// Writes the prefix of a span (fields 1, 4, 5, 6, 16; at most 134 bytes) to `b`. Returns false (and writes
    /// nothing) when the span has a trace state or a name of 100 bytes or more.
    @inline(__always)
    func writePrefix(_ s: SpanStorage, name: String, into b: inout StackBytes) -> Bool {
        guard s.traceState.isEmpty else { return false }
        let written: Bool? = name.utf8.withContiguousStorageIfAvailable { nameBytes -> Bool in
            guard nameBytes.count < 100 else { return false }
            b.byte(0x0A)  // 1: trace_id
            b.byte(16)
            b.fixed64BigEndian(s.traceID.high)
            b.fixed64BigEndian(s.traceID.low)
            if s.parentSpanID.isValid {
                b.byte(0x22)  // 4: parent_span_id
                b.byte(8)
                b.fixed64BigEndian(s.parentSpanID.value)
            }
            b.byte(0x2A)  // 5: name
            b.byte(UInt8(nameBytes.count))
            b.raw(nameBytes)
            b.byte(0x30)  // 6: kind
            b.byte(UInt8(Self.otlpKind(s.kind)))
            b.byte(0x85)  // 16: flags (fixed32), tag 0x85 0x01
            b.byte(0x01)
            b.fixed32(Self.flags(s))
            return true
        }
        return written ?? false
    }

    /// Writes the suffix of a span (fields 2, 7, 8; 28 bytes) to `b`.
    @inline(__always)
    func writeSuffix(_ s: SpanStorage, endNanos: UInt64, into b: inout StackBytes) {
        b.byte(0x12)  // 2: span_id
        b.byte(8)
        b.fixed64BigEndian(s.spanID.value)
        b.byte(0x39)  // 7: start_time_unix_nano (fixed64)
        b.fixed64(s.startNanos)
        b.byte(0x41)  // 8: end_time_unix_nano (fixed64)
        b.fixed64(endNanos)
    }

    @inline(__always)
    static func keyValueHeader(_ b: inout StackBytes, _ field: Int, _ key: UnsafeBufferPointer<UInt8>, anyLength: Int) {
        b.byte(UInt8(field << 3 | 2))
        b.byte(UInt8(2 + key.count + 2 + anyLength))
        b.byte(0x0A)
        b.byte(UInt8(key.count))
        b.raw(key)
        b.byte(0x12)
        b.byte(UInt8(anyLength))
    }

    /// A `KeyValue` with a key under 100 bytes and a string (under 100 bytes, within the length limit), integer,
    /// double or bool value, assembled on the stack and appended with one copy. Returns false (and writes nothing)
    /// for anything else.
    @inline(__always)
    func appendKeyValueFast(field: Int, _ key: String, _ value: SpanAttribute, into w: inout ProtobufWriter) -> Bool {
        withUnsafeTemporaryAllocation(byteCount: 256, alignment: 8) { scratch -> Bool in
            var b = StackBytes(scratch.baseAddress!)
            guard writeKeyValue(field: field, key, value, into: &b) else { return false }
            w.appendBytes(b.bytes)
            return true
        }
    }

    /// `writeKeyValue` for a `SpanAttribute` (type keys, the standard attributes dictionary).
    @inline(__always)
    func writeKeyValue(field: Int, _ key: String, _ value: SpanAttribute, into b: inout StackBytes) -> Bool {
        switch value {
        case .string(let s): return writeKeyValue(field: field, key, AttributeValue.string(s), into: &b)
        case .int64(let i): return writeKeyValue(field: field, key, AttributeValue.int64(i), into: &b)
        case .int32(let i): return writeKeyValue(field: field, key, AttributeValue.int64(Int64(i)), into: &b)
        case .double(let d): return writeKeyValue(field: field, key, AttributeValue.double(d), into: &b)
        case .bool(let v): return writeKeyValue(field: field, key, AttributeValue.bool(v), into: &b)
        default: return false
        }
    }

    /// Writes a `KeyValue` field (at most 127 bytes) to `b` when the key is under 100 bytes and the value a string
    /// (under 100 bytes, within the length limit), integer, double or bool. Returns false (and writes nothing)
    /// for anything else.
    @inline(__always)
    func writeKeyValue(field: Int, _ key: String, _ value: AttributeValue, into b: inout StackBytes) -> Bool {
        guard field < 16 else { return false }
        let result: Bool? = key.utf8.withContiguousStorageIfAvailable { keyBytes -> Bool in
            guard keyBytes.count < 100 else { return false }
            switch value {
            case .string(let string):
                let done: Bool? = string.utf8.withContiguousStorageIfAvailable { v -> Bool in
                    guard v.count < 100, valueLengthLimit <= 0 || v.count <= valueLengthLimit,
                        4 + keyBytes.count + 2 + v.count < 128
                    else { return false }
                    Self.keyValueHeader(&b, field, keyBytes, anyLength: 2 + v.count)
                    b.byte(0x0A)
                    b.byte(UInt8(v.count))
                    b.raw(v)
                    return true
                }
                return done == true
            case .int64(let i):
                Self.keyValueHeader(
                    &b, field, keyBytes, anyLength: 1 + ProtobufWriter.varintSize(UInt64(bitPattern: i)))
                b.byte(0x18)
                b.varint(UInt64(bitPattern: i))
            case .double(let d):
                Self.keyValueHeader(&b, field, keyBytes, anyLength: 9)
                b.byte(0x21)
                b.fixed64(d.bitPattern)
            case .bool(let flag):
                Self.keyValueHeader(&b, field, keyBytes, anyLength: 2)
                b.byte(0x10)
                b.byte(flag ? 1 : 0)
            case .other:
                return false
            }
            return true
        }
        return result ?? false
    }
}
