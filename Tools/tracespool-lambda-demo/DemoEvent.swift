import SpoolBase

/// The demo's event (`Docs/Tracer.md`, "tracespool-lambda-demo"): a JSON object whose fields are all optional.
struct DemoEvent: Sendable, Equatable {
    /// What the invocation does after recording its children.
    enum Then: String, Sendable {
        /// End the invocation and respond.
        case respond
        /// Flush the children, then sleep forever inside the invocation (the platform times it out).
        case hang
        /// Flush the children, then `abort()`.
        case crash
        /// Throw from the handler: the invocation's span records the error and the runtime posts `/error`.
        case fail
    }

    /// The spans the invocation records, its SERVER span included (1 ... `maxSpans`).
    var spans = 20
    /// Simulated work inside the invocation, milliseconds (0 ... `maxWorkMillis`).
    var workMillis = 0
    /// What happens after the children.
    var then = Then.respond

    /// The most spans one event may ask for.
    static let maxSpans = 1_000_000
    /// The longest simulated work: 15 minutes, Lambda's longest timeout.
    static let maxWorkMillis = 900_000

    /// Why an event was refused.
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init() {}

    /// Reads an event; an empty body is the default event.
    ///
    /// - Throws: `Invalid` naming the field for JSON that is not an object, or a field of the wrong type or range.
    init(json bytes: [UInt8]) throws(Invalid) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return }
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONReader.parse(bytes)
        } catch {
            throw Invalid(description: "the event is not JSON: \(error)")
        }
        guard case .object = value else { throw Invalid(description: "the event is not a JSON object") }
        if let v = value.member("spans"), v != .null {
            spans = try Self.integer(v, "spans", 1...Self.maxSpans)
        }
        if let v = value.member("workMs"), v != .null {
            workMillis = try Self.integer(v, "workMs", 0...Self.maxWorkMillis)
        }
        if let v = value.member("then"), v != .null {
            guard case .string(let s) = v, let then = Then(rawValue: s) else {
                throw Invalid(description: "\"then\" must be one of respond, hang, crash, fail")
            }
            self.then = then
        }
    }

    private static func integer(_ value: JSONValue, _ name: String, _ range: ClosedRange<Int>) throws(Invalid) -> Int {
        guard case .number(let n) = value, let i = n.int64, let v = Int(exactly: i), range.contains(v) else {
            throw Invalid(
                description: "\"\(name)\" must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }
}
