public import TraceSpool

/// The arguments of a `@Traced(captureInput: true)` function, encoded as one JSON object keyed by parameter name.
///
/// The macro builds it; user code has no reason to. Members whose value is nil (arguments that are not
/// `Encodable`) are left out.
public struct TracedArguments: Encodable {
    let members: [(name: String, value: (any Encodable)?)]

    /// The arguments as (parameter name, `value(_:)` of the argument) pairs.
    public init(_ members: (String, (any Encodable)?)...) {
        self.members = members.map { (name: $0.0, value: $0.1) }
    }

    /// `argument`, which is `Encodable`.
    @inlinable
    public static func value<T: Encodable>(_ argument: T) -> (any Encodable)? { argument }

    /// Nil: `argument` is not `Encodable`, so it is left out of the input.
    @inlinable
    public static func value(_ argument: Any) -> (any Encodable)? { nil }

    /// Nil: a function (a parameter of a function type spelled through a `typealias`) is not `Encodable`; this
    /// overload also takes non-escaping closures, which `value(_: Any)` cannot.
    @inlinable
    public static func value<each Argument, Result>(
        _ argument: (repeat each Argument) async throws -> Result
    ) -> (any Encodable)? { nil }

    /// Records `result` as `span`'s output (`SpoolSpan.setOutput(_:)`).
    @inlinable
    public static func setOutput<T: Encodable>(_ result: T, on span: SpoolSpan) { span.setOutput(result) }

    /// Does nothing: `result` is not `Encodable`.
    @inlinable
    public static func setOutput(_ result: Any, on span: SpoolSpan) {}

    /// Encodes the `Encodable` members as an object, in order (the tracer's capture sorts the keys).
    ///
    /// - Throws: what an argument's own encoding throws (the capture then records no input).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for member in members {
            guard let value = member.value else { continue }
            try container.encode(value, forKey: Key(member.name))
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
