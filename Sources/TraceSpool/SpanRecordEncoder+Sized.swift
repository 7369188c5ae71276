import OTLPWire
import SpoolFormat
import Tracing

// The sized path: a span the stack can't hold whole (a generation's messages, tools and parameters, or just many
// attributes) but that is otherwise plain — no events, links, status, trace state or dropped attributes, no
// attributes through the standard dictionary, strings, integers, doubles, bools and arrays of strings only, no
// credential and no redacted key. Every attribute's length is computed first; then the record, header included, is written straight
// into the writer's bytes in one run of unchecked writes (`StackBytes` over the space appended for it), instead of
// two array appends per attribute and a move of the body to fit the length's varint (the general path). It writes
// the same bytes as the general path; the encoder tests compare the two.
extension SpanRecordEncoder {
    /// Appends the span's record as the sized path writes it and returns the body length; nil (having written
    /// nothing) when the span needs the general path. A body over `SpoolLimits.maxRecordBytes` is not written, and
    /// its length is returned.
    func appendSpanRecordSized(
        _ s: SpanStorage, _ state: borrowing SpanState, dictionary: SpanAttributes?, endNanos: UInt64,
        into w: inout ProtobufWriter
    ) -> Int? {
        guard state.extras == nil, state.statusCode == 0, state.droppedAttributes == 0, dictionary?.isEmpty ?? true
        else { return nil }
        let type = state.type
        let name = state.name
        return withUnsafeTemporaryAllocation(byteCount: Layout.prefixScratchBytes, alignment: 8) { scratch -> Int? in
            var prefix = StackBytes(scratch.baseAddress!, capacity: Layout.prefixScratchBytes)
            // At most `Layout.maxPrefixBytes` = the scratch; false for a trace state or a long name.
            guard writePrefix(s, name: name, into: &prefix) else { return nil }
            return state.attributes.withUnsafeBufferPointer { list -> Int? in
                if redactsKeys, redactsAnyKey(list: list, type: type) { return nil }
                return withUnsafeTemporaryAllocation(of: Int.self, capacity: list.count) { order -> Int? in
                    // The entries written, in order: the last of each key, less the one the type reserves.
                    var written = 0
                    list.forEachUnshadowed { i in
                        guard type?.reservesListKey(list[i].key) != true else { return }
                        order[written] = i
                        written += 1
                    }
                    // Values of other kinds take the general path: checked first, as sizing scans strings.
                    for k in 0..<written {
                        guard case .other(let boxed) = list[order[k]].stored else { continue }
                        guard case .stringArray = boxed.value else { return nil }
                    }
                    // Pass 1: the body's length, and whether every attribute is one this path writes.
                    var length = prefix.count + Layout.suffixBytes
                    if let type {
                        let plain = type.forEachLeadingAttribute(list: list, dictionary: nil) { key, value in
                            guard let stored = Self.plainValue(value), let size = sizedKeyValue(key, stored) else {
                                return false
                            }
                            length += size
                            return true
                        }
                        guard plain else { return nil }
                    }
                    for k in 0..<written {
                        guard let size = sizedKeyValue(list[order[k]].key, list[order[k]].stored) else { return nil }
                        length += size
                    }
                    guard length <= SpoolLimits.maxRecordBytes else { return length }
                    // Pass 2: the record, into space appended for exactly its bytes.
                    let total = 1 + ProtobufWriter.varintSize(UInt64(length)) + length
                    w.bytes.append(addingCapacity: total) { span in
                        span.withUnsafeMutableBufferPointer { buffer, initialized in
                            var b = StackBytes(UnsafeMutableRawPointer(buffer.baseAddress!), capacity: total)
                            b.byte(RecordType.span.rawValue)
                            b.varint(UInt64(length))
                            b.raw(UnsafeRawBufferPointer(prefix.bytes).assumingMemoryBound(to: UInt8.self))
                            if let type {
                                _ = type.forEachLeadingAttribute(list: list, dictionary: nil) { key, value in
                                    // Pass 1 took it: `plainValue` is not nil.
                                    writeSizedKeyValue(key, Self.plainValue(value)!, into: &b)
                                    return true
                                }
                            }
                            for k in 0..<written {
                                writeSizedKeyValue(list[order[k]].key, list[order[k]].stored, into: &b)
                            }
                            writeSuffix(s, endNanos: endNanos, into: &b)
                            assert(b.count == total, "sized span record: \(b.count) bytes written, \(total) computed")
                            initialized = total
                        }
                    }
                    return length
                }
            }
        }
    }

    /// Whether a key of the typed `list`, or of the attributes the span's `type` leads with, is redacted whole.
    private func redactsAnyKey(list: UnsafeBufferPointer<SpoolAttribute>, type: SpanType?) -> Bool {
        if type != nil,
            redactor.redactsKey(AttributeNames.spanType) || redactor.redactsKey(AttributeNames.openInferenceKind)
        {
            return true
        }
        return list.contains { redactor.redactsKey($0.key) }
    }

    /// A leading attribute's value as the sized path writes it; nil for anything but a string, integer, double or bool.
    @inline(__always)
    private static func plainValue(_ value: SpanAttribute) -> StoredAttributeValue? {
        switch value {
        case .string(let s): .string(s)
        case .int64(let i): .int64(i)
        case .int32(let i): .int64(Int64(i))
        case .double(let d): .double(d)
        case .bool(let b): .bool(b)
        default: nil
        }
    }

    /// The bytes of the `KeyValue` field `key` = `value` among a span's attributes (tag and length included); nil
    /// when the sized path does not write it: a value that is none of string, integer, double and bool, or a string
    /// that holds a credential (the general path redacts it).
    @inline(__always)
    private func sizedKeyValue(_ key: String, _ value: StoredAttributeValue) -> Int? {
        let anyLength: Int
        switch value {
        case .string(let string):
            let cut: Int?? = string.utf8.withContiguousStorageIfAvailable { utf8 -> Int? in
                if scansValues, CredentialScanner.containsCredential(utf8) { return nil }
                return cutLength(utf8)
            }
            guard let cut, let length = cut else { return nil }
            anyLength = ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.AnyValue.stringValue, length: length)
        case .int64(let i): anyLength = 1 + ProtobufWriter.varintSize(UInt64(bitPattern: i))
        case .double: anyLength = 9
        case .bool: anyLength = 2
        case .other(let boxed):
            guard case .stringArray(let items) = boxed.value, let array = sizedStringArray(items) else { return nil }
            anyLength = ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.AnyValue.arrayValue, length: array)
        }
        return ProtobufWriter.lengthDelimitedFieldSize(
            field: OTLPField.Span.attributes, length: Self.keyValueLength(key.utf8.count, anyLength))
    }

    /// Writes the `KeyValue` field `key` = `value` that `sizedKeyValue` measured into `b`, which has room for it.
    @inline(__always)
    private func writeSizedKeyValue(_ key: String, _ value: StoredAttributeValue, into b: inout StackBytes) {
        // Native strings: contiguous (`sizedKeyValue` read the values the same way, and keys are compared as such).
        _ = key.utf8.withContiguousStorageIfAvailable { key in
            typealias Field = OTLPField.AnyValue
            func header(_ anyLength: Int) {
                b.tag(OTLPField.Span.attributes, .lengthDelimited)
                b.varint(UInt64(Self.keyValueLength(key.count, anyLength)))
                b.tag(OTLPField.KeyValue.key, .lengthDelimited)
                b.varint(UInt64(key.count))
                b.raw(key)
                b.tag(OTLPField.KeyValue.value, .lengthDelimited)
                b.varint(UInt64(anyLength))
            }
            switch value {
            case .string(let string):
                _ = string.utf8.withContiguousStorageIfAvailable { utf8 in
                    let length = cutLength(utf8)
                    header(ProtobufWriter.lengthDelimitedFieldSize(field: Field.stringValue, length: length))
                    b.tag(Field.stringValue, .lengthDelimited)
                    b.varint(UInt64(length))
                    b.raw(UnsafeBufferPointer(rebasing: utf8[0..<length]))
                }
            case .int64(let i):
                header(1 + ProtobufWriter.varintSize(UInt64(bitPattern: i)))
                b.tag(Field.intValue, .varint)
                b.varint(UInt64(bitPattern: i))
            case .double(let d):
                header(9)
                b.tag(Field.doubleValue, .fixed64)
                b.fixed64(d.bitPattern)
            case .bool(let flag):
                header(2)
                b.tag(Field.boolValue, .varint)
                b.byte(flag ? 1 : 0)
            case .other(let boxed):
                guard case .stringArray(let items) = boxed.value else {
                    assertionFailure("sizedKeyValue takes no other kind of value")
                    return
                }
                // `sizedKeyValue` measured it: not nil.
                let array = sizedStringArray(items)!
                header(ProtobufWriter.lengthDelimitedFieldSize(field: Field.arrayValue, length: array))
                b.tag(Field.arrayValue, .lengthDelimited)
                b.varint(UInt64(array))
                for item in items {
                    _ = item.utf8.withContiguousStorageIfAvailable { utf8 in
                        let length = cutLength(utf8)
                        b.tag(OTLPField.ArrayValue.values, .lengthDelimited)
                        b.varint(
                            UInt64(ProtobufWriter.lengthDelimitedFieldSize(field: Field.stringValue, length: length)))
                        b.tag(Field.stringValue, .lengthDelimited)
                        b.varint(UInt64(length))
                        b.raw(UnsafeBufferPointer(rebasing: utf8[0..<length]))
                    }
                }
            }
        }
    }

    /// The length of an `ArrayValue` of the strings `items`, each cut to `valueLengthLimit`; nil when one holds a
    /// credential or is not contiguous UTF-8.
    private func sizedStringArray(_ items: [String]) -> Int? {
        var length = 0
        for item in items {
            let cut: Int?? = item.utf8.withContiguousStorageIfAvailable { utf8 -> Int? in
                if scansValues, CredentialScanner.containsCredential(utf8) { return nil }
                return cutLength(utf8)
            }
            guard let cut, let itemLength = cut else { return nil }
            length += ProtobufWriter.lengthDelimitedFieldSize(
                field: OTLPField.ArrayValue.values,
                length: ProtobufWriter.lengthDelimitedFieldSize(
                    field: OTLPField.AnyValue.stringValue, length: itemLength))
        }
        return length
    }

    /// The length of a `KeyValue` body: the key field and the value field holding an `AnyValue` of `anyLength` bytes.
    @inline(__always)
    private static func keyValueLength(_ keyLength: Int, _ anyLength: Int) -> Int {
        ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.KeyValue.key, length: keyLength)
            + ProtobufWriter.lengthDelimitedFieldSize(field: OTLPField.KeyValue.value, length: anyLength)
    }

    /// The bytes of `utf8` written: all of them, or `valueLengthLimit` backed off to the start of a UTF-8 sequence.
    @inline(__always)
    private func cutLength(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        let limit = valueLengthLimit
        guard limit > 0, utf8.count > limit else { return utf8.count }
        var length = limit
        while length > 0 && utf8[length] & 0xC0 == 0x80 { length -= 1 }
        return length
    }
}
