import SpoolBase

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
        if let json = parameters as? String { return (json, GenAIRequestParameters(json: json)) }
        if let doubles = parameters as? [String: Double] {
            // -0.0 (JSONEncoder writes `-0`) and non-finite values take the general path.
            if doubles.values.allSatisfy({ $0.isFinite && !($0 == 0 && $0.sign == .minus) }) {
                return (object(doubles) { $0.encoderDouble($1) }, GenAIRequestParameters(doubles, Value.init))
            }
        } else if let ints = parameters as? [String: Int] {
            return (object(ints) { $0.number($1) }, GenAIRequestParameters(ints, Value.init))
        } else if let strings = parameters as? [String: String] {
            return (object(strings) { $0.string($1) }, GenAIRequestParameters(strings, Value.string))
        } else if let bools = parameters as? [String: Bool] {
            return (object(bools) { $0.bool($1) }, GenAIRequestParameters(bools) { _ in .other })
        }
        guard let json = JSONCapture.encode(parameters) else { return nil }
        return (json, GenAIRequestParameters(json: json))
    }

    /// `dictionary` as a compact JSON object, keys sorted by their UTF-8 bytes, each value written by `write`.
    static func object<V>(_ dictionary: [String: V], _ write: (inout JSONWriter, V) -> Void) -> String {
        var writer = JSONWriter(capacity: 24 * dictionary.count + 2)
        writer.beginObject()
        for (key, value) in dictionary.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            writer.key(escaping: key)
            write(&writer, value)
        }
        writer.endObject()
        return writer.text
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
