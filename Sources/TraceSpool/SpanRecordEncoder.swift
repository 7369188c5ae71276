import OTLPWire
import SpoolFormat
import Tracing

/// Encodes spans as OTLP `Span` protobuf messages, framed as `RecordType.span` records, straight into a buffer.
///
/// Three paths write the same bytes. The fast path (`appendSpanRecordFast`) assembles the common span whole in stack
/// scratch with unchecked writes, whose bounds `Layout` derives; the sized path (`appendSpanRecordSized`) writes a
/// plain span too long for the stack straight into the writer's bytes in one pass; the general path (`encodeSpan`)
/// writes any span through `ProtobufWriter`, using the stack for the pieces that fit. A span with a type (`SpanState.type`) writes
/// the attributes its type leads with ahead of its own and leaves out the keys its type reserves; what those are is
/// the agent layer's business (`SpanType+Attributes.swift`).
struct SpanRecordEncoder {
    /// The maximum UTF-8 bytes of a string value (0 = unlimited).
    var valueLengthLimit: Int
    /// The maximum attributes per span (applied here to attributes set through the dictionary).
    var countLimit: Int
    /// What is redacted (keys, credential shapes) and where redactions are counted. Unretained, as the encoder's core
    /// holds it and cores are immortal (`TracerCore.immortalize`): an encoder that retained it would not be a plain
    /// value, and its uses on the hot path would pay reference counting.
    unowned(unsafe) let redactor: Redactor
    /// Whether string values are scanned for credentials (`redactor.scansValues`, kept here for the fast path).
    let scansValues: Bool
    /// Whether any key is redacted whole (`redactor.keyPatterns` not empty, kept here for the fast path).
    let redactsKeys: Bool

    /// An encoder with these limits and redaction.
    init(valueLengthLimit: Int, countLimit: Int, redactor: Redactor) {
        self.valueLengthLimit = valueLengthLimit
        self.countLimit = countLimit
        self.redactor = redactor
        self.scansValues = redactor.scansValues
        self.redactsKeys = !redactor.keyPatterns.isEmpty
    }

    /// The common span (no trace state, events, links, status or dropped counts; short name, keys and values)
    /// assembled whole on the stack, record header included, and appended with one copy. Returns the body length, or
    /// nil (having written nothing) when the span needs the general path.
    @inline(__always)
    func appendSpanRecordFast(
        _ s: SpanStorage, _ state: borrowing SpanState, dictionary: SpanAttributes?, endNanos: UInt64,
        into w: inout ProtobufWriter
    ) -> Int? {
        guard state.extras == nil, state.statusCode == 0, state.droppedAttributes == 0, !state.holdsLongValues else {
            return nil
        }
        let name = state.name
        let type = state.type
        // Over the count limit, the general path decides what is dropped.
        if let dictionary, dictionary.count + state.attributes.count > countLimit { return nil }
        return withUnsafeTemporaryAllocation(byteCount: Layout.recordScratchBytes, alignment: 8) { scratch -> Int? in
            let base = scratch.baseAddress!
            // The body starts behind room for the longest record header, which is written right before it at the end.
            var b = StackBytes(base + Layout.maxRecordHeaderBytes, capacity: Layout.maxBodyBytes)
            // Invariant of everything below: an attribute is started only while `b.count <= limit`, so that it (at
            // most `Layout.maxKeyValueBytes`) and the suffix (`Layout.suffixBytes`) still fit in `b`.
            let limit = Layout.attributeStartLimit
            // At most `Layout.maxPrefixBytes` (< limit) into the empty cursor.
            guard writePrefix(s, name: name, into: &b) else { return nil }
            // The state's array itself (borrowed): a copy would cost a retain and a release.
            let ok = state.attributes.withUnsafeBufferPointer { list -> Bool in
                // Attributes whose key is redacted take the general path, whose writers redact.
                if redactsKeys, needsKeyRedaction(list: list, dictionary: dictionary, type: type) { return false }
                // Whether a string value written is long enough to hold a credential: checked after the loops, as a
                // call among them would cost a copy of each value.
                var mayHoldCredential = false
                // Two loops so that untyped spans, the hot path, pay nothing for the reserved-key check (measured with
                // `cg.sh typical`: one loop with the check costs ~25 more instructions per span, one local function
                // called with a constant ~840 more).
                if let type {
                    let leading = type.forEachLeadingAttribute(list: list, dictionary: dictionary) { key, value in
                        b.count <= limit
                            && writeKeyValue(
                                field: OTLPField.Span.attributes, key, value, into: &b,
                                mayHoldCredential: &mayHoldCredential)
                    }
                    guard leading else { return false }
                    for i in list.indices where !list.isShadowed(i) && !type.reservesListKey(list[i].key) {
                        guard b.count <= limit,
                            writeKeyValue(
                                field: OTLPField.Span.attributes, list[i].key, list[i].stored, into: &b,
                                mayHoldCredential: &mayHoldCredential)
                        else { return false }
                    }
                } else {
                    for i in list.indices where !list.isShadowed(i) {
                        guard b.count <= limit,
                            writeKeyValue(
                                field: OTLPField.Span.attributes, list[i].key, list[i].stored, into: &b,
                                mayHoldCredential: &mayHoldCredential)
                        else { return false }
                    }
                }
                // Attributes set through the standard `attributes` property, except the keys the type reserves
                // (written ahead) and keys set later through the typed API (in the list).
                var fits = true
                dictionary?.forEach { key, value in
                    guard fits, type?.reservesDictionaryKey(key) != true, !list.containsKey(key) else { return }
                    fits =
                        b.count <= limit
                        && writeKeyValue(
                            field: OTLPField.Span.attributes, key, value, into: &b,
                            mayHoldCredential: &mayHoldCredential)
                }
                // A value that holds a credential takes the general path, whose writers redact.
                return fits
                    && !(mayHoldCredential && scansValues
                        && valuesNeedRedaction(list: list, dictionary: dictionary))
            }
            guard ok else { return nil }
            // `b.count <= limit + Layout.maxKeyValueBytes` here: the suffix fits.
            writeSuffix(s, endNanos: endNanos, into: &b)
            let length = b.count
            // The record header right before the body: the type byte and the length as a varint of 1 byte (< 128)
            // or 2 (`length <= Layout.maxBodyBytes` < 16,384), within the `Layout.maxRecordHeaderBytes` left free.
            assert(length <= Layout.maxBodyBytes)
            let headerSize = length < 0x80 ? 2 : 3
            let headerStart = base + Layout.maxRecordHeaderBytes - headerSize
            var h = StackBytes(headerStart, capacity: headerSize)
            h.byte(RecordType.span.rawValue)
            h.varint(UInt64(length))
            w.appendBytes(UnsafeRawBufferPointer(start: headerStart, count: headerSize + length))
            return length
        }
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
        return appendSpanRecordLong(storage, state, dictionary: dictionary, endNanos: endNanos, into: &w)
    }

    /// `appendSpanRecord` for a span the fast path does not take: the sized path when it applies, else the general
    /// one. Kept out of line: inlined into `appendSpanRecord`, it would cost the typical span ~270 instructions
    /// (`Tools/tracer-quickbench/cg.sh typical`: 4,408 → 4,676) although the fast path returns before it.
    @inline(never)
    func appendSpanRecordLong(
        _ storage: SpanStorage, _ state: borrowing SpanState, dictionary: SpanAttributes?, endNanos: UInt64,
        into w: inout ProtobufWriter
    ) -> Int {
        if let length = appendSpanRecordSized(storage, state, dictionary: dictionary, endNanos: endNanos, into: &w) {
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

    /// Encodes the span's body (no record header) into `w`: any span, including what the fast path leaves to it.
    func encodeSpan(
        _ s: SpanStorage, _ state: borrowing SpanState, dictionary: SpanAttributes?, endNanos: UInt64,
        into w: inout ProtobufWriter
    ) {
        if !appendPrefixFast(s, name: state.name, into: &w) {
            s.traceID.withBytes { w.appendLengthDelimited(field: OTLPField.Span.traceID, bytes: $0) }
            if !s.traceState.isEmpty { w.appendString(field: OTLPField.Span.traceState, s.traceState) }
            if s.parentSpanID.isValid {
                withUnsafeBytes(of: s.parentSpanID.value.bigEndian) {
                    w.appendLengthDelimited(field: OTLPField.Span.parentSpanID, bytes: $0)
                }
            }
            w.appendString(field: OTLPField.Span.name, state.name)
            w.appendVarintField(field: OTLPField.Span.kind, UInt64(s.kind.otlpNumber))
            w.appendFixed32Field(field: OTLPField.Span.flags, Self.flags(s))
        }
        var emitted = 0
        var dropped = state.droppedAttributes
        let type = state.type
        state.attributes.withUnsafeBufferPointer { list in
            if let type {
                _ = type.forEachLeadingAttribute(list: list, dictionary: dictionary) { key, value in
                    appendKeyValue(field: OTLPField.Span.attributes, key, value, into: &w)
                    return true
                }
            }
            list.forEachUnshadowed { i in
                guard type?.reservesListKey(list[i].key) != true else { return }
                appendKeyValue(
                    field: OTLPField.Span.attributes, list[i].key, list[i].stored,
                    redacted: list[i].marks.contains(.redacted), into: &w)
                emitted += 1
            }
            guard let dictionary else { return }
            let limit = countLimit
            dictionary.forEach { key, value in
                guard type?.reservesDictionaryKey(key) != true, !list.containsKey(key) else { return }
                if emitted < limit {
                    appendKeyValue(field: OTLPField.Span.attributes, key, value, into: &w)
                    emitted += 1
                } else {
                    dropped &+= 1
                }
            }
        }
        if dropped > 0 { w.appendVarintField(field: OTLPField.Span.droppedAttributesCount, UInt64(dropped)) }
        let extras = state.extras
        for event in extras?.events ?? [] {
            w.appendMessage(field: OTLPField.Span.events) { e in
                e.appendFixed64Field(field: OTLPField.Event.timeUnixNano, event.nanosecondsSinceEpoch)
                e.appendString(field: OTLPField.Event.name, event.name)
                event.attributes.forEach { key, value in
                    appendKeyValue(field: OTLPField.Event.attributes, key, value, into: &e)
                }
            }
        }
        if let extras, extras.droppedEvents > 0 {
            w.appendVarintField(field: OTLPField.Span.droppedEventsCount, UInt64(extras.droppedEvents))
        }
        for link in extras?.links ?? [] {
            guard let target = link.context.spoolSpanContext else { continue }
            w.appendMessage(field: OTLPField.Span.links) { l in
                target.traceID.withBytes { l.appendLengthDelimited(field: OTLPField.Link.traceID, bytes: $0) }
                withUnsafeBytes(of: target.spanID.value.bigEndian) {
                    l.appendLengthDelimited(field: OTLPField.Link.spanID, bytes: $0)
                }
                if !target.traceState.isEmpty { l.appendString(field: OTLPField.Link.traceState, target.traceState) }
                link.attributes.forEach { key, value in
                    appendKeyValue(field: OTLPField.Link.attributes, key, value, into: &l)
                }
                l.appendFixed32Field(
                    field: OTLPField.Link.flags,
                    UInt32(target.traceFlags) | Self.contextHasIsRemote | (target.isRemote ? Self.contextIsRemote : 0))
            }
        }
        if let extras, extras.droppedLinks > 0 {
            w.appendVarintField(field: OTLPField.Span.droppedLinksCount, UInt64(extras.droppedLinks))
        }
        let statusMessage = redactor.redact(state.statusMessage, deferLog: true)
        if state.statusCode != 0 || !statusMessage.isEmpty {
            w.appendMessage(field: OTLPField.Span.status) { st in
                if !statusMessage.isEmpty { st.appendString(field: OTLPField.Status.message, statusMessage) }
                if state.statusCode != 0 {
                    st.appendVarintField(field: OTLPField.Status.code, UInt64(state.statusCode))
                }
            }
        }
        withUnsafeTemporaryAllocation(byteCount: Layout.suffixScratchBytes, alignment: 8) { scratch in
            var b = StackBytes(scratch.baseAddress!, capacity: Layout.suffixScratchBytes)
            writeSuffix(s, endNanos: endNanos, into: &b)  // `Layout.suffixBytes` <= the scratch
            w.appendBytes(b.bytes)
        }
    }

    /// The OTLP `flags` field: the W3C trace flags plus the "parent is known remote or local" bits.
    @inline(__always)
    static func flags(_ s: SpanStorage) -> UInt32 {
        UInt32(s.traceFlags) | contextHasIsRemote | (s.parentIsRemote ? contextIsRemote : 0)
    }

    /// `SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK`: whether the parent (or linked span) is remote is known.
    static let contextHasIsRemote: UInt32 = 0x100
    /// `SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK`: the parent (or linked span) is remote.
    static let contextIsRemote: UInt32 = 0x200

    @inline(__always)
    func appendKeyValue(field: Int, _ key: String, _ value: SpanAttribute, into w: inout ProtobufWriter) {
        let needsRedaction = needsRedaction(key, value)
        if !needsRedaction, appendKeyValueFast(field: field, key, value, into: &w) { return }
        let redactWhole = redactsKeys && redactor.redactsKey(key)
        if redactWhole { redactor.noteKeyRedaction(deferLog: true) }
        w.appendMessage(field: field) { kv in
            kv.appendString(field: OTLPField.KeyValue.key, key)
            kv.appendMessage(field: OTLPField.KeyValue.value) { v in
                if redactWhole {
                    appendAnyValueBody(.string(Redactor.keyMarker), into: &v)
                } else if !needsRedaction, case .string(let s) = value {
                    // Scanned by `needsRedaction` and found clean (a value too long for the stack writer).
                    appendLimitedString(field: OTLPField.AnyValue.stringValue, s, scanned: true, into: &v)
                } else {
                    appendAnyValueBody(value, into: &v)
                }
            }
        }
    }

    /// `appendKeyValue` for a typed attribute: a string value goes straight to `appendStringKeyValue` (no
    /// `SpanAttribute` is made), anything else to the general path. A string `redacted` already is not scanned.
    func appendKeyValue(
        field: Int, _ key: String, _ value: StoredAttributeValue, redacted: Bool = false, into w: inout ProtobufWriter
    ) {
        guard case .string(let s) = value, !(redactsKeys && redactor.redactsKey(key)) else {
            appendKeyValue(field: field, key, value.spanAttribute, into: &w)
            return
        }
        if !redacted, holdsCredential(s) {
            appendKeyValue(field: field, key, SpanAttribute.string(s), into: &w)
            return
        }
        appendStringKeyValue(field: field, key, s, into: &w)
    }

    /// Appends a `KeyValue` whose value is the string `value`, clean of credentials, cut to `valueLengthLimit` bytes
    /// at a UTF-8 sequence boundary. Every length is known before the bytes are written: the tags, lengths and key
    /// are assembled on the stack and appended with the value in two copies, and nothing is moved.
    func appendStringKeyValue(field: Int, _ key: String, _ value: String, into w: inout ProtobufWriter) {
        var key = key
        var value = value
        key.withUTF8 { key in
            value.withUTF8 { utf8 in
                let length = cutLength(utf8)
                typealias Size = ProtobufWriter
                let anyValue = Size.lengthDelimitedFieldSize(field: OTLPField.AnyValue.stringValue, length: length)
                let keyValue =
                    Size.lengthDelimitedFieldSize(field: OTLPField.KeyValue.key, length: key.count)
                    + Size.lengthDelimitedFieldSize(field: OTLPField.KeyValue.value, length: anyValue)
                // Five varints of at most 10 bytes and three one-byte tags, then the key.
                withUnsafeTemporaryAllocation(byteCount: 64 + key.count, alignment: 8) { scratch in
                    var b = StackBytes(scratch.baseAddress!, capacity: scratch.count)
                    Self.writeStringKeyValueHead(
                        field: field, key: key, keyValueLength: keyValue, anyLength: anyValue, length: length, into: &b)
                    w.appendBytes(b.bytes)
                }
                w.appendBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[0..<length]))
            }
        }
    }

    /// Writes the head of the `KeyValue` field `field` = `key` whose value is a string of `length` bytes, its tags and
    /// lengths and the key (`keyValueLength` the `KeyValue`'s, `anyLength` its `AnyValue`'s); the string follows.
    @inline(__always)
    static func writeStringKeyValueHead(
        field: Int, key: UnsafeBufferPointer<UInt8>, keyValueLength: Int, anyLength: Int, length: Int,
        into b: inout StackBytes
    ) {
        writeKeyValueHead(field: field, key: key, keyValueLength: keyValueLength, anyLength: anyLength, into: &b)
        b.tag(OTLPField.AnyValue.stringValue, .lengthDelimited)
        b.varint(UInt64(length))
    }

    /// Writes the `KeyValue` field `field` (`keyValueLength` bytes) with the key `key` up to its value's `AnyValue`
    /// body (`anyLength` bytes), which the caller writes next.
    @inline(__always)
    static func writeKeyValueHead(
        field: Int, key: UnsafeBufferPointer<UInt8>, keyValueLength: Int, anyLength: Int, into b: inout StackBytes
    ) {
        b.tag(field, .lengthDelimited)
        b.varint(UInt64(keyValueLength))
        b.tag(OTLPField.KeyValue.key, .lengthDelimited)
        b.varint(UInt64(key.count))
        b.raw(key)
        b.tag(OTLPField.KeyValue.value, .lengthDelimited)
        b.varint(UInt64(anyLength))
    }

    /// Appends `string` cut to `valueLengthLimit` bytes, its credentials redacted first unless the caller `scanned`
    /// it and found none.
    @inline(__always)
    func appendLimitedString(field: Int, _ string: String, scanned: Bool = false, into w: inout ProtobufWriter) {
        let limit = valueLengthLimit
        // Redacted before it is cut, so that a cut never leaves part of a credential unrecognized.
        var s = scansValues && !scanned ? redactor.redact(string, deferLog: true) : string
        if limit <= 0 || s.utf8.count <= limit {
            w.appendString(field: field, s)
            return
        }
        s.withUTF8 { utf8 in
            w.appendLengthDelimited(
                field: field, bytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[0..<cutLength(utf8)])
            )
        }
    }

    func appendAnyValueBody(_ value: SpanAttribute, into v: inout ProtobufWriter) {
        typealias Field = OTLPField.AnyValue
        switch value {
        case .string(let s): appendLimitedString(field: Field.stringValue, s, into: &v)
        case .int64(let i): v.appendVarintField(field: Field.intValue, UInt64(bitPattern: i))
        case .int32(let i): v.appendVarintField(field: Field.intValue, UInt64(bitPattern: Int64(i)))
        case .double(let d): v.appendDoubleField(field: Field.doubleValue, d)
        case .bool(let b): v.appendVarintField(field: Field.boolValue, b ? 1 : 0)
        case .stringConvertible(let c): appendLimitedString(field: Field.stringValue, c.description, into: &v)
        case .stringArray(let a):
            appendArray(a, into: &v) { appendLimitedString(field: Field.stringValue, $0, into: &$1) }
        case .int64Array(let a):
            appendArray(a, into: &v) { $1.appendVarintField(field: Field.intValue, UInt64(bitPattern: $0)) }
        case .int32Array(let a):
            appendArray(a, into: &v) { $1.appendVarintField(field: Field.intValue, UInt64(bitPattern: Int64($0))) }
        case .doubleArray(let a): appendArray(a, into: &v) { $1.appendDoubleField(field: Field.doubleValue, $0) }
        case .boolArray(let a): appendArray(a, into: &v) { $1.appendVarintField(field: Field.boolValue, $0 ? 1 : 0) }
        case .stringConvertibleArray(let a):
            appendArray(a, into: &v) { appendLimitedString(field: Field.stringValue, $0.description, into: &$1) }
        default: break
        }
    }

    private func appendArray<T>(_ items: [T], into v: inout ProtobufWriter, _ each: (T, inout ProtobufWriter) -> Void) {
        v.appendMessage(field: OTLPField.AnyValue.arrayValue) { array in
            for item in items { array.appendMessage(field: OTLPField.ArrayValue.values) { each(item, &$0) } }
        }
    }

    /// The prefix (`writePrefix`) assembled on the stack and appended with one copy. Returns false (and writes
    /// nothing) when the span has a trace state or a name longer than `Layout.maxShortStringBytes`.
    @inline(__always)
    func appendPrefixFast(_ s: SpanStorage, name: String, into w: inout ProtobufWriter) -> Bool {
        withUnsafeTemporaryAllocation(byteCount: Layout.prefixScratchBytes, alignment: 8) { scratch -> Bool in
            var b = StackBytes(scratch.baseAddress!, capacity: Layout.prefixScratchBytes)
            // At most `Layout.maxPrefixBytes` <= the scratch.
            guard writePrefix(s, name: name, into: &b) else { return false }
            w.appendBytes(b.bytes)
            return true
        }
    }

    // Field order. Protobuf readers accept fields in any order; the tracer writes what repeats from span to span
    // (trace id, parent id, name, kind, flags, attributes) first and what never repeats (span id, start and end
    // times) last, so LZ4 finds one long match per span instead of several short ones: about 10 % fewer bytes
    // on disk for typical spans (Spool/FORMAT.md, "Span records").

    /// Writes the prefix of a span (trace id, parent span id, name, kind, flags; at most `Layout.maxPrefixBytes`) to
    /// `b`. Returns false (and writes nothing) when the span has a trace state or a name longer than
    /// `Layout.maxShortStringBytes`. The caller provides room for `Layout.maxPrefixBytes`.
    @inline(__always)
    func writePrefix(_ s: SpanStorage, name: String, into b: inout StackBytes) -> Bool {
        guard s.traceState.isEmpty else { return false }
        let written: Bool? = name.utf8.withContiguousStorageIfAvailable { nameBytes -> Bool in
            guard nameBytes.count <= Layout.maxShortStringBytes else { return false }
            b.tag(OTLPField.Span.traceID, .lengthDelimited)
            b.byte(16)
            b.fixed64BigEndian(s.traceID.high)
            b.fixed64BigEndian(s.traceID.low)
            if s.parentSpanID.isValid {
                b.tag(OTLPField.Span.parentSpanID, .lengthDelimited)
                b.byte(8)
                b.fixed64BigEndian(s.parentSpanID.value)
            }
            b.tag(OTLPField.Span.name, .lengthDelimited)
            b.byte(UInt8(truncatingIfNeeded: nameBytes.count))  // <= maxShortStringBytes: one varint byte
            b.raw(nameBytes)
            b.tag(OTLPField.Span.kind, .varint)
            b.byte(UInt8(truncatingIfNeeded: s.kind.otlpNumber))  // 1...5: one varint byte
            b.tag(OTLPField.Span.flags, .fixed32)  // field 16: a two-byte tag
            b.fixed32(Self.flags(s))
            return true
        }
        return written ?? false
    }

    /// Writes the suffix of a span (span id, start and end times; `Layout.suffixBytes`) to `b`, which has room for it.
    @inline(__always)
    func writeSuffix(_ s: SpanStorage, endNanos: UInt64, into b: inout StackBytes) {
        b.tag(OTLPField.Span.spanID, .lengthDelimited)
        b.byte(8)
        b.fixed64BigEndian(s.spanID.value)
        b.tag(OTLPField.Span.startTimeUnixNano, .fixed64)
        b.fixed64(s.startNanos)
        b.tag(OTLPField.Span.endTimeUnixNano, .fixed64)
        b.fixed64(endNanos)
    }

    /// The header of a `KeyValue` field numbered `field` whose value is an `AnyValue` of `anyLength` bytes, up to the
    /// `AnyValue`'s body: `Layout.keyValueOverheadBytes - 2 + key.count` bytes (the `AnyValue` body's own tag and
    /// length, when it has one, are its caller's). The caller guarantees that the field's tag takes one byte and that
    /// its length, `2 + key.count + 2 + anyLength`, is at most 127 (one varint byte).
    @inline(__always)
    static func keyValueHeader(_ b: inout StackBytes, _ field: Int, _ key: UnsafeBufferPointer<UInt8>, anyLength: Int) {
        assert(field <= Layout.maxOneByteTagField && 2 + key.count + 2 + anyLength <= Layout.maxOneByteLength)
        b.tag(field, .lengthDelimited)
        b.byte(UInt8(truncatingIfNeeded: 2 + key.count + 2 + anyLength))
        b.tag(OTLPField.KeyValue.key, .lengthDelimited)
        b.byte(UInt8(truncatingIfNeeded: key.count))
        b.raw(key)
        b.tag(OTLPField.KeyValue.value, .lengthDelimited)
        b.byte(UInt8(truncatingIfNeeded: anyLength))
    }

    /// A `KeyValue` (`writeKeyValue`) assembled on the stack and appended with one copy. Returns false (and writes
    /// nothing) for anything `writeKeyValue` does not take.
    @inline(__always)
    func appendKeyValueFast(field: Int, _ key: String, _ value: SpanAttribute, into w: inout ProtobufWriter) -> Bool {
        withUnsafeTemporaryAllocation(byteCount: Layout.keyValueScratchBytes, alignment: 8) { scratch -> Bool in
            var b = StackBytes(scratch.baseAddress!, capacity: Layout.keyValueScratchBytes)
            // At most `Layout.maxKeyValueBytes` <= the scratch. The caller has checked the value for credentials.
            var mayHoldCredential = false
            guard writeKeyValue(field: field, key, value, into: &b, mayHoldCredential: &mayHoldCredential) else {
                return false
            }
            w.appendBytes(b.bytes)
            return true
        }
    }

    /// `writeKeyValue` for a `SpanAttribute` (leading attributes, the standard attributes dictionary).
    @inline(__always)
    func writeKeyValue(
        field: Int, _ key: String, _ value: SpanAttribute, into b: inout StackBytes, mayHoldCredential: inout Bool
    ) -> Bool {
        guard let stored = Self.plainValue(value) else { return false }
        return writeKeyValue(field: field, key, stored, into: &b, mayHoldCredential: &mayHoldCredential)
    }

    /// `value` as a string, integer, double or bool `StoredAttributeValue`, the kinds the stack and sized paths write;
    /// nil for any other kind.
    @inline(__always)
    static func plainValue(_ value: SpanAttribute) -> StoredAttributeValue? {
        switch value {
        case .string(let s): .string(s)
        case .int64(let i): .int64(i)
        case .int32(let i): .int64(Int64(i))
        case .double(let d): .double(d)
        case .bool(let b): .bool(b)
        default: nil
        }
    }

    /// How many of the bytes `utf8` are written: all of them, or `valueLengthLimit` (when set) backed off to the start
    /// of a UTF-8 sequence so that the cut value stays valid.
    @inline(__always)
    func cutLength(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        let limit = valueLengthLimit
        guard limit > 0, utf8.count > limit else { return utf8.count }
        var length = limit
        while length > 0 && utf8[length] & 0xC0 == 0x80 { length -= 1 }
        return length
    }

    /// Writes a `KeyValue` field (at most `Layout.maxKeyValueBytes`, which the caller has room for) to `b` when the
    /// field number takes a one-byte tag, the key is at most `Layout.maxShortStringBytes` and the value is a string
    /// (at most `Layout.maxShortStringBytes`, within the length limit, and short enough with the key for a one-byte
    /// length), an integer, a double or a bool. Returns false (and writes nothing) for anything else. Writes the value
    /// as it is, and sets `mayHoldCredential` when it is a string long enough to hold one: the caller checks it
    /// (`valuesNeedRedaction`) before it uses what was written.
    @inline(__always)
    func writeKeyValue(
        field: Int, _ key: String, _ value: StoredAttributeValue, into b: inout StackBytes,
        mayHoldCredential: inout Bool
    ) -> Bool {
        guard field <= Layout.maxOneByteTagField else { return false }
        let result: Bool? = key.utf8.withContiguousStorageIfAvailable { keyBytes -> Bool in
            guard keyBytes.count <= Layout.maxShortStringBytes else { return false }
            typealias Field = OTLPField.AnyValue
            switch value {
            case .string(let string):
                let done: Bool? = string.utf8.withContiguousStorageIfAvailable { v -> Bool in
                    // The `KeyValue` body: key tag and length, key, value tag and length, then the `AnyValue`:
                    // string tag and length, string. Its length must take one varint byte.
                    guard v.count <= Layout.maxShortStringBytes, valueLengthLimit <= 0 || v.count <= valueLengthLimit,
                        2 + keyBytes.count + 2 + 2 + v.count <= Layout.maxOneByteLength
                    else { return false }
                    if v.count >= CredentialScanner.minimumMatchBytes { mayHoldCredential = true }
                    Self.keyValueHeader(&b, field, keyBytes, anyLength: 2 + v.count)
                    b.tag(Field.stringValue, .lengthDelimited)
                    b.byte(UInt8(truncatingIfNeeded: v.count))
                    b.raw(v)
                    return true
                }
                return done == true
            // The other values are short: with a key of at most `maxShortStringBytes` their length takes one byte.
            case .int64(let i):
                Self.keyValueHeader(
                    &b, field, keyBytes, anyLength: 1 + ProtobufWriter.varintSize(UInt64(bitPattern: i)))
                b.tag(Field.intValue, .varint)
                b.varint(UInt64(bitPattern: i))
            case .double(let d):
                Self.keyValueHeader(&b, field, keyBytes, anyLength: 9)
                b.tag(Field.doubleValue, .fixed64)
                b.fixed64(d.bitPattern)
            case .bool(let flag):
                Self.keyValueHeader(&b, field, keyBytes, anyLength: 2)
                b.tag(Field.boolValue, .varint)
                b.byte(flag ? 1 : 0)
            case .other:
                return false
            }
            return true
        }
        return result ?? false
    }
}
