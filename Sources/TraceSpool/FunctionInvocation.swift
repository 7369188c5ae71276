import SpoolBase

/// One invocation of a serverless function, as `SpoolTracer.withInvocation(_:name:flushMarginMillis:_:)` records it.
///
/// Build it from the headers of the AWS Lambda Runtime API's `GET /2018-06-01/runtime/invocation/next` answer with
/// `init(runtimeHeaders:trigger:)` (any Swift Lambda runtime can hand them over), or field by field on another
/// platform.
///
/// The deadline is kept as the platform gives it, Unix epoch milliseconds (`Lambda-Runtime-Deadline-Ms`), not as a
/// monotonic instant: it is a wall-clock time shared with other processes (a Lambda extension gets the same value in
/// its INVOKE event), and converting it to a `ContinuousClock.Instant` would need a second clock reading that a
/// freeze of the environment between reading the header and converting it would skew.
public struct FunctionInvocation: Sendable, Equatable {
    /// The invocation (request) id (`faas.invocation_id`; `Lambda-Runtime-Aws-Request-Id`).
    public var requestID: String
    /// When the platform ends the invocation, Unix epoch milliseconds (`Lambda-Runtime-Deadline-Ms`); nil: unknown.
    public var deadlineUnixMillis: Int64?
    /// The ARN the function was invoked with, perhaps qualified by a version or an alias
    /// (`Lambda-Runtime-Invoked-Function-Arn`).
    public var invokedFunctionARN: String?
    /// The incoming AWS X-Ray trace header (`Lambda-Runtime-Trace-Id`, i.e. `X-Amzn-Trace-Id`), linked from the
    /// invocation's span when it parses.
    public var traceHeader: String?
    /// What caused the invocation (`faas.trigger`; default `other`).
    public var trigger: FaaSTrigger

    /// An invocation with the given fields.
    public init(
        requestID: String, deadlineUnixMillis: Int64? = nil, invokedFunctionARN: String? = nil,
        traceHeader: String? = nil, trigger: FaaSTrigger = .other
    ) {
        self.requestID = requestID
        self.deadlineUnixMillis = deadlineUnixMillis
        self.invokedFunctionARN = invokedFunctionARN
        self.traceHeader = traceHeader
        self.trigger = trigger
    }

    /// The header names of the Lambda Runtime API's next-invocation answer
    /// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html#runtimes-api-next).
    public enum RuntimeHeader {
        /// `Lambda-Runtime-Aws-Request-Id`: the request id.
        public static let requestID = "Lambda-Runtime-Aws-Request-Id"
        /// `Lambda-Runtime-Deadline-Ms`: the deadline, Unix epoch milliseconds.
        public static let deadline = "Lambda-Runtime-Deadline-Ms"
        /// `Lambda-Runtime-Invoked-Function-Arn`: the ARN invoked.
        public static let invokedFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
        /// `Lambda-Runtime-Trace-Id`: the AWS X-Ray tracing header.
        public static let traceID = "Lambda-Runtime-Trace-Id"
    }

    /// The invocation the Runtime API's next-invocation headers describe (names matched in any case, the first of
    /// repeated headers used, values trimmed of spaces). A deadline that is not a non-negative integer is left out
    /// (nil); empty values count as missing.
    ///
    /// - Returns: nil when there is no `Lambda-Runtime-Aws-Request-Id`.
    public init?(runtimeHeaders: some Sequence<(String, String)>, trigger: FaaSTrigger = .other) {
        var values: [String: String] = [:]
        for (name, value) in runtimeHeaders {
            let key = name.lowercased()
            let trimmed = value.trimmingSpaces
            if values[key] == nil, !trimmed.isEmpty { values[key] = trimmed }
        }
        guard let requestID = values[RuntimeHeader.requestID.lowercased()] else { return nil }
        self.init(
            requestID: requestID,
            deadlineUnixMillis: values[RuntimeHeader.deadline.lowercased()].flatMap { Int64($0) }.flatMap {
                $0 >= 0 ? $0 : nil
            },
            invokedFunctionARN: values[RuntimeHeader.invokedFunctionARN.lowercased()],
            traceHeader: values[RuntimeHeader.traceID.lowercased()], trigger: trigger)
    }

    /// How long the flush after this invocation may wait, in milliseconds:
    /// `min(cap, max(0, deadline − now − margin))`, or `cap` when the deadline is unknown. A deadline already past
    /// (or closer than the margin) gives 0: the flush is started but not waited for.
    ///
    /// - Parameters:
    ///   - nowUnixMillis: the current time, Unix epoch milliseconds.
    ///   - marginMillis: the time kept for what follows the flush (the marker, the response); negative reads as 0.
    ///   - capMillis: the longest wait (the tracer's `flushTimeoutMillis`); negative reads as 0.
    public func flushTimeoutMillis(nowUnixMillis: Int64, marginMillis: Int, capMillis: Int) -> Int {
        let cap = max(capMillis, 0)
        guard let deadlineUnixMillis else { return cap }
        let (untilDeadline, overflow) = deadlineUnixMillis.subtractingReportingOverflow(nowUnixMillis)
        if overflow { return deadlineUnixMillis > nowUnixMillis ? cap : 0 }
        // Only a result below Int64.min overflows here (the margin is not negative): a deadline long past.
        let (remaining, below) = untilDeadline.subtractingReportingOverflow(Int64(max(marginMillis, 0)))
        if below { return 0 }
        return remaining <= 0 ? 0 : Int(min(remaining, Int64(cap)))
    }

    /// The function's `cloud.resource_id`: for a Lambda function ARN
    /// (`arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`) the unqualified ARN followed by
    /// `:<version>` when `version` is known, since the semantic conventions ask for the function's ARN with any alias
    /// replaced by the resolved version ("Take care not to use the invoked ARN directly"); any other ARN as given.
    func resourceID(version: String?) -> String? {
        guard let arn = invokedFunctionARN else { return nil }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 7, parts[0] == "arn", parts[2] == "lambda", parts[5] == "function", !parts[6].isEmpty
        else { return arn }
        let unqualified = parts[0..<7].joined(separator: ":")
        guard let version, !version.isEmpty else { return unqualified }
        return unqualified + ":" + version
    }

    /// The function name in a Lambda function ARN, if `invokedFunctionARN` is one.
    var functionNameFromARN: String? {
        guard let arn = invokedFunctionARN else { return nil }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 7, parts[2] == "lambda", parts[5] == "function", !parts[6].isEmpty else { return nil }
        return String(parts[6])
    }
}
