import SpoolBase

/// An event `GET /2020-01-01/extension/event/next` returns.
///
/// Source: "Extensions API reference", Next event (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-extensions-api.html#extensions-api-next),
/// and the Runtime Interface Emulator's `internal/lambda/rapi/model/agentevent.go`: INVOKE
/// `{"eventType","deadlineMs","requestId","invokedFunctionArn","tracing"}`, SHUTDOWN
/// `{"eventType","shutdownReason","deadlineMs"}`; `deadlineMs` is Unix epoch time in milliseconds.
package enum ExtensionEvent: Sendable, Equatable {
    /// An invocation started.
    case invoke(requestID: String, deadlineMs: Int64)
    /// The environment shuts down; the extension must exit before `deadlineMs`.
    case shutdown(reason: ShutdownReason, deadlineMs: Int64)

    /// Why an environment shuts down.
    package enum ShutdownReason: String, Sendable, Equatable {
        /// No invocation for a while (or a scale-in).
        case spindown
        /// An invocation timed out: the environment is reset.
        case timeout
        /// The runtime or an extension failed: the environment is reset.
        case failure
        /// A reason this code does not know.
        case other
    }

    /// The largest `deadlineMs` kept; larger values are clamped to it (negative ones to 0).
    package static let maxDeadlineMs: Int64 = 1 << 50

    /// The largest event body read, bytes.
    package static let maxBodyBytes = 1 << 20

    /// Parses an event body.
    ///
    /// - Throws: `ExtensionsAPIError.malformedEvent` for anything that is not an INVOKE or SHUTDOWN object with its
    ///   fields (the reason is matched case-insensitively; an unknown reason is `.other`).
    package init(json bytes: [UInt8]) throws(ExtensionsAPIError) {
        let document: JSONValue
        do {
            document = try JSONReader.parse(bytes)
        } catch {
            throw .malformedEvent("not JSON: \(error)")
        }
        guard case .string(let type)? = document.member("eventType") else {
            throw .malformedEvent("no eventType")
        }
        let deadline: Int64
        if case .number(let n)? = document.member("deadlineMs"),
            let value = n.int64 ?? Int64(exactly: n.double.rounded(.down))
        {
            // Clamped to 0 ... 2^50 ms (year 37,000): later arithmetic on it cannot overflow, whatever the event says.
            deadline = min(max(value, 0), Self.maxDeadlineMs)
        } else {
            throw .malformedEvent("\(type.prefix(32)) without a numeric deadlineMs")
        }
        switch type.uppercased() {
        case "INVOKE":
            guard case .string(let id)? = document.member("requestId"), !id.isEmpty else {
                throw .malformedEvent("INVOKE without requestId")
            }
            self = .invoke(requestID: id, deadlineMs: deadline)
        case "SHUTDOWN":
            var reason = ShutdownReason.other
            if case .string(let text)? = document.member("shutdownReason") {
                reason = ShutdownReason(rawValue: text.trimmingSpacesAndLowercased) ?? .other
            }
            self = .shutdown(reason: reason, deadlineMs: deadline)
        default:
            throw .malformedEvent("unknown eventType \(type.prefix(32))")
        }
    }
}
