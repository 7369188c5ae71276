import SwiftDiagnostics

/// What `@Traced` reports about a declaration it cannot trace, or an argument it cannot use.
enum TracedDiagnostic: DiagnosticMessage {
    case notAFunction(String)
    case noBody
    case rethrowsFunction
    case typedThrows
    case notALiteral(String)
    case noResult
    case opaqueResult

    var message: String {
        switch self {
        case .notAFunction(let kind):
            "'@Traced' applies to functions, not to \(kind); move the work into a function, or wrap it in "
                + "'SpoolTracer.withSpan'"
        case .noBody:
            "'@Traced' needs a function with a body"
        case .rethrowsFunction:
            "'@Traced' does not support 'rethrows' functions (the span's closure cannot rethrow the parameter's "
                + "error); declare the function 'throws', or call 'SpoolTracer.withSpan' in its body"
        case .typedThrows:
            "'@Traced' does not support typed throws: the span helpers rethrow 'any Error'; declare the function "
                + "'throws', or call 'SpoolTracer.withSpan' in its body"
        case .notALiteral(let label):
            "'\(label):' must be the literal 'true' or 'false' (the macro decides the expansion from it)"
        case .noResult:
            "'captureOutput: true' has no effect: the function returns no value"
        case .opaqueResult:
            "'captureOutput: true' needs a result type that can be written in a closure's signature; an opaque "
                + "'some' result cannot: return a concrete type, or call 'span.setOutput' in a 'SpoolTracer.withSpan' "
                + "body"
        }
    }

    var diagnosticID: MessageID {
        let id: String =
            switch self {
            case .notAFunction: "notAFunction"
            case .noBody: "noBody"
            case .rethrowsFunction: "rethrowsFunction"
            case .typedThrows: "typedThrows"
            case .notALiteral: "notALiteral"
            case .noResult: "noResult"
            case .opaqueResult: "opaqueResult"
            }
        return MessageID(domain: "TraceSpoolMacros", id: id)
    }

    var severity: DiagnosticSeverity {
        switch self {
        case .noResult: .warning
        default: .error
        }
    }
}
