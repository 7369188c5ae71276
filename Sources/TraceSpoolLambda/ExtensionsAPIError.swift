/// A failed call to the Extensions or Telemetry API.
package enum ExtensionsAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No HTTP answer (connection refused, reset, timeout).
    case unreachable(operation: String, detail: String)
    /// An HTTP status other than the expected one; `body` is the start of the answer.
    case status(operation: String, code: Int, body: String)
    /// `register` answered without a `Lambda-Extension-Identifier` header.
    case noIdentifier
    /// An event body that is not a valid event.
    case malformedEvent(String)

    /// What happened, for logs.
    package var description: String {
        switch self {
        case .unreachable(let operation, let detail): "\(operation): no answer from the Runtime API (\(detail))"
        case .status(let operation, let code, let body): "\(operation): HTTP \(code) \(body)"
        case .noIdentifier: "register: no Lambda-Extension-Identifier header in the answer"
        case .malformedEvent(let why): "malformed event: \(why)"
        }
    }
}
