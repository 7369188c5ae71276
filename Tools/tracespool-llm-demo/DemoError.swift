/// Why a demo run failed (exit code 1).
enum DemoError: Error, CustomStringConvertible {
    /// The provider answered with an HTTP error status.
    case provider(status: Int, body: String)
    /// The answer could not be read.
    case malformedAnswer(String)
    /// The model kept calling tools.
    case tooManyTurns(Int)

    var description: String {
        switch self {
        case .provider(let status, let body):
            "the provider answered HTTP \(status): \(body.prefix(500))"
        case .malformedAnswer(let problem): "the provider's answer is not as expected: \(problem)"
        case .tooManyTurns(let n): "the model still called tools after \(n) turns"
        }
    }
}
