import OTLPWire
import SpoolFormat
import Tracing

// The sized path: a span the stack can't hold whole (a generation's messages, tools and parameters, or just many
// attributes) but that is otherwise plain — no events, links, status, trace state or dropped attributes, no attributes
// through the standard dictionary, strings, integers, doubles, bools and arrays of strings only, no credential and no
// redacted key. Each attribute is read once and written straight into the writer's bytes with unchecked writes
// (`StackBytes` over space appended in chunks of at least `chunkBytes`), behind room for the longest record header;
// once the body's length is known, the header goes right before it and the body moves back over the room it left.
// That replaces two array appends per attribute (the general path) and a measuring pass over the attributes. It writes
// the same bytes as the general path; the encoder tests compare the two.
extension SpanRecordEncoder {
    /// Appends the span's record as the sized path writes it and returns the body length; nil (having written
    /// nothing) when the span needs the general path, as a body over `SpoolLimits.maxRecordBytes` does.
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
                        // A group's key is never a key the type reserves (`AttributeGroup`): not compared.
                        guard list[i].marks.contains(.distinctKey) || type?.reservesListKey(list[i].key) != true
                        else { return }
                        order[written] = i
                        written += 1
                    }
                    // Checked before anything is written, so that the write loop calls nothing it cannot see into
                    // (which makes it copy, retain and release, every value it reads): values of other kinds, and
                    // strings that hold a credential, take the general path.
                    for k in 0..<written {
                        let i = order[k]
                        switch list[i].stored {
                        case .string(let string):
                            if scansValues, string.utf8.count >= CredentialScanner.minimumMatchBytes,
                                !list[i].marks.contains(.redacted), holdsCredential(list, at: i)
                            {
                                return nil
                            }
                        case .other(let boxed):
                            guard case .stringArray(let items) = boxed.value, !items.contains(where: holdsCredential)
                            else { return nil }
                        default: continue
                        }
                    }
                    // The attributes the type leads with: a few short ones, measured with the prefix. Their fields
                    // are constant (`LeadingFields`) unless the length limit cuts their values.
                    var leadingBytes = 0
                    var leadingFields: [UInt8]? = nil
                    if let type {
                        let constant = Self.leadingFields[type.ordinal]
                        if valueLengthLimit <= 0 || valueLengthLimit >= constant.longestValue {
                            let fields =
                                list.containsKey(AttributeNames.openInferenceKind)
                                ? constant.typeOnly : constant.withKind
                            leadingBytes = fields.count
                            leadingFields = fields
                        } else {
                            let plain = type.forEachLeadingAttribute(list: list, dictionary: nil) { key, value in
                                guard let stored = Self.plainValue(value), let size = sizedKeyValue(key, stored) else {
                                    return false
                                }
                                leadingBytes += size
                                return true
                            }
                            guard plain else { return nil }
                        }
                    }
                    let start = w.bytes.count
                    var k = 0
                    var need = Self.headerRoom + prefix.count + leadingBytes + Layout.suffixBytes
                    var general = false
                    var first = true
                    while true {
                        var done = false
                        w.bytes.append(addingCapacity: Swift.max(need, Self.chunkBytes)) { span in
                            span.withUnsafeMutableBufferPointer { buffer, initialized in
                                var b = StackBytes(UnsafeMutableRawPointer(buffer.baseAddress!), capacity: buffer.count)
                                if first {
                                    // The first chunk: room for the header, the prefix and the leading attributes.
                                    first = false
                                    b.zeros(Self.headerRoom)
                                    b.raw(UnsafeRawBufferPointer(prefix.bytes).assumingMemoryBound(to: UInt8.self))
                                    if let leadingFields {
                                        leadingFields.withUnsafeBufferPointer { b.raw($0) }
                                    } else if let type {
                                        _ = type.forEachLeadingAttribute(list: list, dictionary: nil) { key, value in
                                            // Measured above: `plainValue` is not nil.
                                            let value = Self.plainValue(value)!
                                            writeSizedKeyValue(key, value, anyLength: anyValueLength(value)!, into: &b)
                                            return true
                                        }
                                    }
                                }
                                while k < written {
                                    let i = order[k]
                                    switch writeSized(list[i].key, list[i].stored, into: &b) {
                                    case .written:
                                        k += 1
                                        continue
                                    case .needs(let bytes):
                                        need = bytes + Layout.suffixBytes
                                    case .general:
                                        general = true
                                    }
                                    break
                                }
                                if k == written, !general, b.remaining >= Layout.suffixBytes {
                                    writeSuffix(s, endNanos: endNanos, into: &b)
                                    done = true
                                }
                                initialized = b.count
                            }
                        }
                        if general || w.bytes.count - start > SpoolLimits.maxRecordBytes + Self.headerRoom {
                            w.bytes.removeLast(w.bytes.count - start)
                            return nil
                        }
                        if done { break }
                        if k == written { need = Layout.suffixBytes }
                    }
                    return closeRecord(startingAt: start, in: &w)
                }
            }
        }
    }

    /// The `Span.attributes` fields of the attributes a span type leads with (`SpanType.forEachLeadingAttribute`,
    /// no dictionary), uncut, as the sized path writes them: the same for every span of the type.
    struct LeadingFields: Sendable {
        /// The type key and the kind the type implies.
        var withKind: [UInt8]
        /// The type key alone (the span's list sets the kind, and writes it in its place).
        var typeOnly: [UInt8]
        /// The UTF-8 length of the longest value among them: a length limit below it cuts one.
        var longestValue: Int
    }

    /// `LeadingFields` of each span type, by `SpanType.ordinal`.
    static let leadingFields: [LeadingFields] = SpanType.allCases.map { type in
        var longest = 0
        func fields(kindInList: Bool) -> [UInt8] {
            let list = kindInList ? [SpoolAttribute.string(AttributeNames.openInferenceKind, "")] : []
            var fields: [UInt8] = []
            list.withUnsafeBufferPointer { list in
                _ = type.forEachLeadingAttribute(list: list, dictionary: nil) { key, value in
                    // Strings from the type (no dictionary): `rawValue` and `openInferenceKind`.
                    guard case .string(let string) = value else { return true }
                    let (key, value) = (Array(key.utf8), Array(string.utf8))
                    longest = Swift.max(longest, value.count)
                    let anyLength = fieldSize(value.count)
                    let keyValueLength = keyValueLength(key.count, anyLength)
                    let start = fields.count
                    fields += [UInt8](repeating: 0, count: fieldSize(keyValueLength))
                    fields.withUnsafeMutableBytes { out in
                        key.withUnsafeBufferPointer { key in
                            var b = StackBytes(out.baseAddress! + start, capacity: out.count - start)
                            writeStringKeyValueHead(
                                field: OTLPField.Span.attributes, key: key, keyValueLength: keyValueLength,
                                anyLength: anyLength, length: value.count, into: &b)
                            value.withUnsafeBufferPointer { b.raw($0) }
                        }
                    }
                    return true
                }
            }
            return fields
        }
        return LeadingFields(
            withKind: fields(kindInList: false), typeOnly: fields(kindInList: true), longestValue: longest)
    }

    /// The room the sized path leaves for the record header: the type byte and the length of a body of up to
    /// `SpoolLimits.maxRecordBytes` as a varint.
    static var headerRoom: Int { 1 + varintSize(UInt64(SpoolLimits.maxRecordBytes)) }

    /// The least space the sized path appends at a time: most generations take one chunk.
    static var chunkBytes: Int { 8_192 }

    /// Writes the header of the record whose body (at most `SpoolLimits.maxRecordBytes`, which the chunk loop
    /// checks) follows `headerRoom` bytes at `start` right before the body, moves header and body back to `start`, and
    /// returns the body length.
    private func closeRecord(startingAt start: Int, in w: inout ProtobufWriter) -> Int {
        let length = w.bytes.count - start - Self.headerRoom
        assert(length <= SpoolLimits.maxRecordBytes, "sized span record of \(length) bytes")
        let headerSize = 1 + Self.varintSize(UInt64(length))
        let gap = Self.headerRoom - headerSize
        w.bytes.withUnsafeMutableBytes { bytes in
            let record = bytes.baseAddress! + start
            var h = StackBytes(record + gap, capacity: headerSize)
            h.byte(RecordType.span.rawValue)
            h.varint(UInt64(length))
            if gap > 0 { record.copyMemory(from: record + gap, byteCount: headerSize + length) }
        }
        w.bytes.removeLast(gap)
        return length
    }

    /// What `writeSized` did with an attribute.
    private enum SizedWrite {
        /// It wrote it.
        case written
        /// It needs `bytes` of room to write it, more than the cursor has: nothing written.
        case needs(Int)
        /// The general path writes it (a key, a string or a string array item that is not contiguous UTF-8): nothing
        /// written.
        case general
    }

    /// Whether the string value of `list[i]` holds a credential: out of line, so that its call copies only the
    /// values it scans.
    @inline(never)
    private func holdsCredential(_ list: UnsafeBufferPointer<SpoolAttribute>, at i: Int) -> Bool {
        guard case .string(let string) = list[i].stored else { return false }
        return holdsCredential(string)
    }

    /// Writes the `KeyValue` field `key` = `value`, a value the caller has checked holds no credential, into `b`
    /// when it has room.
    @inline(__always)
    private func writeSized(_ key: String, _ value: StoredAttributeValue, into b: inout StackBytes) -> SizedWrite {
        // Most attributes: a string, integer, double or bool value under a native key, whose bytes are read in place
        // once (a string's too, when native).
        let written = key.utf8.withContiguousStorageIfAvailable { key -> SizedWrite? in
            switch value {
            case .string(let string):
                string.utf8.withContiguousStorageIfAvailable { value in writeSizedString(key, value, into: &b) }
            case .int64, .double, .bool: writeSizedScalar(key, value, into: &b)
            case .other: nil
            }
        }
        if let written, let written { return written }
        guard let anyLength = sizedAnyValue(key, value, scanned: true) else { return .general }
        let size = Self.fieldSize(Self.keyValueLength(key.utf8.count, anyLength))
        guard size <= b.remaining else { return .needs(size) }
        writeSizedKeyValue(key, value, anyLength: anyLength, into: &b)
        return .written
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

    /// The bytes of the `KeyValue` field `key` = `value` among a span's attributes (tag and length included); nil
    /// when the sized path does not write it: a value that is none of string, integer, double, bool and array of
    /// strings, or a string that holds a credential (the general path redacts it).
    @inline(__always)
    private func sizedKeyValue(_ key: String, _ value: StoredAttributeValue) -> Int? {
        guard let anyLength = sizedAnyValue(key, value, scanned: false) else { return nil }
        return Self.fieldSize(Self.keyValueLength(key.utf8.count, anyLength))
    }

    /// `writeSized` for a string value, given the UTF-8 of key and value.
    @inline(__always)
    private func writeSizedString(
        _ key: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>, into b: inout StackBytes
    ) -> SizedWrite {
        let length = cutLength(value)
        let anyLength = Self.fieldSize(length)
        let keyValueLength = Self.keyValueLength(key.count, anyLength)
        guard Self.fieldSize(keyValueLength) <= b.remaining else { return .needs(Self.fieldSize(keyValueLength)) }
        Self.writeStringKeyValueHead(
            field: OTLPField.Span.attributes, key: key, keyValueLength: keyValueLength, anyLength: anyLength,
            length: length, into: &b)
        b.raw(UnsafeBufferPointer(rebasing: value[0..<length]))
        return .written
    }

    /// `writeSized` for an integer, double or bool value, given the UTF-8 of the key.
    @inline(__always)
    private func writeSizedScalar(
        _ key: UnsafeBufferPointer<UInt8>, _ value: StoredAttributeValue, into b: inout StackBytes
    ) -> SizedWrite {
        let anyLength: Int
        switch value {
        case .int64(let i): anyLength = 1 + Self.varintSize(UInt64(bitPattern: i))
        case .double: anyLength = 9
        default: anyLength = 2
        }
        let keyValueLength = Self.keyValueLength(key.count, anyLength)
        guard Self.fieldSize(keyValueLength) <= b.remaining else { return .needs(Self.fieldSize(keyValueLength)) }
        Self.writeKeyValueHead(
            field: OTLPField.Span.attributes, key: key, keyValueLength: keyValueLength, anyLength: anyLength, into: &b)
        Self.writeScalarAnyValue(value, into: &b)
        return .written
    }

    /// Writes the `AnyValue` body of an integer, double or bool `value` (nothing for other kinds).
    @inline(__always)
    private static func writeScalarAnyValue(_ value: StoredAttributeValue, into b: inout StackBytes) {
        typealias Field = OTLPField.AnyValue
        switch value {
        case .int64(let i):
            b.tag(Field.intValue, .varint)
            b.varint(UInt64(bitPattern: i))
        case .double(let d):
            b.tag(Field.doubleValue, .fixed64)
            b.fixed64(d.bitPattern)
        case .bool(let flag):
            b.tag(Field.boolValue, .varint)
            b.byte(flag ? 1 : 0)
        case .string, .other: break
        }
    }

    /// The length of the `AnyValue` of the attribute `key` = `value` as the sized path writes it, or nil (see
    /// `sizedKeyValue`). A value `scanned` already is not scanned for credentials again.
    @inline(__always)
    private func sizedAnyValue(_ key: String, _ value: StoredAttributeValue, scanned: Bool) -> Int? {
        if !scanned {
            switch value {
            case .string(let string): if holdsCredential(string) { return nil }
            case .other(let boxed):
                if case .stringArray(let items) = boxed.value, items.contains(where: holdsCredential) { return nil }
            default: break
            }
        }
        guard key.isContiguousUTF8 else { return nil }
        return anyValueLength(value)
    }

    /// The length of the `AnyValue` of `value` as the sized path writes it; nil for a kind it does not write or a
    /// string that is not contiguous UTF-8 (it writes strings from their contiguous bytes).
    @inline(__always)
    private func anyValueLength(_ value: StoredAttributeValue) -> Int? {
        switch value {
        case .string(let string): string.isContiguousUTF8 ? Self.fieldSize(cutLength(string)) : nil
        case .int64(let i): 1 + Self.varintSize(UInt64(bitPattern: i))
        case .double: 9
        case .bool: 2
        case .other(let boxed):
            if case .stringArray(let items) = boxed.value, let array = stringArrayLength(items) {
                Self.fieldSize(array)
            } else {
                nil
            }
        }
    }

    /// Writes the `KeyValue` field `key` = `value`, whose `AnyValue` `sizedAnyValue` measured as `anyLength` bytes,
    /// into `b`, which has room for it.
    @inline(__always)
    private func writeSizedKeyValue(
        _ key: String, _ value: StoredAttributeValue, anyLength: Int, into b: inout StackBytes
    ) {
        typealias Field = OTLPField.AnyValue
        // Native strings: contiguous (`sizedKeyValue` read the values the same way, and keys are compared as such).
        _ = key.utf8.withContiguousStorageIfAvailable { key in
            Self.writeKeyValueHead(
                field: OTLPField.Span.attributes, key: key, keyValueLength: Self.keyValueLength(key.count, anyLength),
                anyLength: anyLength, into: &b)
        }
        switch value {
        case .string(let string):
            let length = cutLength(string)
            b.tag(Field.stringValue, .lengthDelimited)
            b.varint(UInt64(length))
            _ = string.utf8.withContiguousStorageIfAvailable { b.raw(UnsafeBufferPointer(rebasing: $0[0..<length])) }
        case .int64, .double, .bool: Self.writeScalarAnyValue(value, into: &b)
        case .other(let boxed):
            guard case .stringArray(let items) = boxed.value else { return }
            b.tag(Field.arrayValue, .lengthDelimited)
            b.varint(UInt64(anyLength - 1 - Self.varintSize(UInt64(anyLength))))
            for item in items {
                let length = cutLength(item)
                b.tag(OTLPField.ArrayValue.values, .lengthDelimited)
                b.varint(UInt64(Self.fieldSize(length)))
                b.tag(Field.stringValue, .lengthDelimited)
                b.varint(UInt64(length))
                _ = item.utf8.withContiguousStorageIfAvailable { b.raw(UnsafeBufferPointer(rebasing: $0[0..<length])) }
            }
        }
    }

    /// The length of an `ArrayValue` of the strings `items`, each cut to `valueLengthLimit`; nil when one is not
    /// contiguous UTF-8.
    private func stringArrayLength(_ items: [String]) -> Int? {
        var length = 0
        for item in items {
            guard item.isContiguousUTF8 else { return nil }
            length += Self.fieldSize(Self.fieldSize(cutLength(item)))
        }
        return length
    }

    /// The length of a `KeyValue` body: the key field and the value field holding an `AnyValue` of `anyLength` bytes.
    @inline(__always)
    private static func keyValueLength(_ keyLength: Int, _ anyLength: Int) -> Int {
        fieldSize(keyLength) + fieldSize(anyLength)
    }

    /// The bytes of a length-delimited field of `length` bytes whose tag takes one byte: every field the sized path
    /// writes (`Span.attributes` 9, `KeyValue` 1 and 2, `AnyValue.stringValue` 1 and `.arrayValue` 5,
    /// `ArrayValue.values` 1).
    @inline(__always)
    private static func fieldSize(_ length: Int) -> Int { 1 + varintSize(UInt64(length)) + length }

    /// `ProtobufWriter.varintSize(_:)`, inlined here: called across the module boundary it is a call per field (three
    /// an attribute), about 1,100 instructions per generation (`Tools/tracer-quickbench/cg-threads.sh generation`).
    @inline(__always)
    private static func varintSize(_ value: UInt64) -> Int {
        value < 0x80 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    /// The bytes of `string` written (see `cutLength(_:)` of its UTF-8); the caller has checked it is contiguous.
    @inline(__always)
    private func cutLength(_ string: String) -> Int {
        let count = string.utf8.count
        guard valueLengthLimit > 0, count > valueLengthLimit else { return count }
        return string.utf8.withContiguousStorageIfAvailable { cutLength($0) } ?? valueLengthLimit
    }
}
