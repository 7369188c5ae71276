import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a generation's model parameters (`SpoolSpan.setModelParameters(_:)`): their JSON text for
/// `llm.invocation_parameters` and the well-known ones among them (`GenAIRequestParameters`).
///
/// The shapes users pass most — a JSON `String` and dictionaries of `String` keys to `Double`, `Int`, `String` or
/// `Bool` — are handled without Foundation: a dictionary is written with `JSONWriter` in the form `JSONEncoder`
/// gives it (sorted keys, doubles without a trailing `.0`), and its values are read directly rather than parsed
/// back from the text. Any other `Encodable` goes through `JSONCapture.encode` (Foundation's `JSONEncoder`) and
/// `JSONReader`.
enum ModelParameters {
    /// The JSON text and the well-known parameters (nil when the JSON is not an object); nil when encoding fails
    /// (a NaN or infinite double, which `JSONEncoder` refuses).
    static func read(_ parameters: some Encodable) -> (json: String, request: GenAIRequestParameters?)? {
        typealias Value = GenAIRequestParameters.Value
        if let json = exactly(parameters, String.self) { return (json, GenAIRequestParameters(json: json)) }
        if let doubles = exactly(parameters, [String: Double].self) {
            // -0.0 (JSONEncoder writes `-0`) and non-finite values take the general path.
            if doubles.values.allSatisfy({ $0.isFinite && !($0 == 0 && $0.sign == .minus) }) {
                return read(doubles, Value.init) { $0.encoderDouble($1) }
            }
        } else if let ints = exactly(parameters, [String: Int].self) {
            return read(ints, Value.init) { $0.number($1) }
        } else if let strings = exactly(parameters, [String: String].self) {
            return read(strings, Value.string) { $0.string($1) }
        } else if let bools = exactly(parameters, [String: Bool].self) {
            return read(bools, { _ in .other }) { $0.bool($1) }
        }
        if let converted = readConverted(parameters) { return converted }
        guard let json = JSONCapture.encode(parameters) else { return nil }
        return (json, GenAIRequestParameters(json: json))
    }

    /// `value` as a `T` when its type is exactly `T`: a comparison of type metadata, where `as?` is a dynamic cast
    /// (about 135 instructions each, `Tools/tracer-quickbench/cg-threads.sh generation`).
    @inline(__always)
    private static func exactly<V, T>(_ value: V, _ type: T.Type) -> T? {
        V.self == T.self ? unsafeBitCast(value, to: T.self) : nil
    }

    /// `read(_:)` of what `as?` makes of `parameters` of another type than the shapes `read(_:)` recognizes by
    /// their exact type: an optional of one, say, unwrapped. Nil when it makes none of them.
    @inline(never)
    private static func readConverted<V>(_ parameters: V) -> (json: String, request: GenAIRequestParameters?)? {
        // Of the shape's own type, `parameters` was read already (and, for doubles, may have been left to the
        // general path): not again.
        func converted<T>(_ type: T.Type) -> T? { V.self == T.self ? nil : parameters as? T }
        if let json = converted(String.self) { return read(json) }
        if let doubles = converted([String: Double].self) { return read(doubles) }
        if let ints = converted([String: Int].self) { return read(ints) }
        if let strings = converted([String: String].self) { return read(strings) }
        if let bools = converted([String: Bool].self) { return read(bools) }
        return nil
    }

    /// A typed dictionary's JSON text (`object(_:_:)`) and well-known parameters, each member's value converted by
    /// `value`, read in the same pass over the members in key order.
    static func read<V>(
        _ dictionary: [String: V], _ value: (V) -> GenAIRequestParameters.Value, _ write: (inout JSONWriter, V) -> Void
    ) -> (json: String, request: GenAIRequestParameters?) {
        var request = GenAIRequestParameters()
        let json = object(dictionary) { writer, key, member in
            write(&writer, member)
            request.offer(key, value(member))
        }
        return (json, request)
    }

    /// `dictionary` as a compact JSON object, keys sorted by their UTF-8 bytes, each value written by `write` (which
    /// is given the member's key too).
    static func object<V>(_ dictionary: [String: V], _ write: (inout JSONWriter, String, V) -> Void) -> String {
        var writer = JSONWriter(capacity: 24 * dictionary.count + 2)
        writer.beginObject()
        // The members' indices sorted on the stack by insertion: a handful of parameters, no array to allocate and
        // no copy of a member.
        withUnsafeTemporaryAllocation(of: Dictionary<String, V>.Index.self, capacity: dictionary.count) { buffer in
            let order = buffer.baseAddress!
            var count = 0
            var index = dictionary.startIndex
            while index != dictionary.endIndex {
                let key = dictionary[index].key
                var position = count
                while position > 0, precedes(key, dictionary[order[position - 1]].key) { position -= 1 }
                (order + position + 1).moveInitialize(from: order + position, count: count - position)
                (order + position).initialize(to: index)
                count += 1
                dictionary.formIndex(after: &index)
            }
            for i in 0..<count {
                let member = dictionary[order[i]]
                writer.key(escaping: member.key)
                write(&writer, member.key, member.value)
            }
            order.deinitialize(count: count)
        }
        writer.endObject()
        return writer.text
    }

    /// Whether `a`'s UTF-8 bytes sort before `b`'s.
    private static func precedes(_ a: String, _ b: String) -> Bool {
        let ordered = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b in
                let common = Swift.min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order < 0 || (order == 0 && a.count < b.count)
            }
        }
        return (ordered ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

extension JSONWriter {
    /// Writes a finite double as `JSONEncoder` writes it: Swift's shortest round-trip form without a trailing `.0`
    /// (`0.2`, `256`, `1e-05`, `1e+16`).
    fileprivate mutating func encoderDouble(_ value: Double) {
        // Swift writes integral values up to 2^53 with a trailing `.0` (`256.0`) and larger ones with an exponent.
        if value.magnitude <= 9_007_199_254_740_992, value.rounded(.towardZero) == value {
            number(Int64(value))
        } else {
            double(value)
        }
    }
}
