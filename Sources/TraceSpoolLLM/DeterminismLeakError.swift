/// In replay at the strict level, a request with no counterpart in the recording at all (no recorded exchange
/// with its method and path), LLM call or not: the code under test reaches the network where the recording says it
/// did not. Its text names the request (credentials redacted) and what to do next.
public struct DeterminismLeakError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request's method.
    public var method: String
    /// The request's URL, credentials redacted.
    public var url: String
    /// Whether the request is an LLM call (else another HTTP request the instrumentation saw).
    public var isLLMCall: Bool
    /// The recording file.
    public var recordingPath: String

    /// An error for the request `method` `url`.
    public init(method: String, url: String, isLLMCall: Bool, recordingPath: String) {
        self.method = method
        self.url = url
        self.isLLMCall = isLLMCall
        self.recordingPath = recordingPath
    }

    /// The request and what to do.
    public var description: String {
        "Determinism leak: the \(isLLMCall ? "LLM call" : "request") \(method) \(url) has no counterpart in the LLM "
            + "recording \(recordingPath) (no recorded exchange with this method and path), and strict replay sends "
            + "nothing to the network. Record it (RecordReplay mode .recordMissing adds it to the recording, "
            + "mode .record or --record records everything again), or replay at level .relaxed to send requests "
            + "missing from the recording with a warning."
    }
}
