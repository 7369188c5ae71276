/// Record/replay of the HTTP exchanges the LLM instrumentation sees, for deterministic agent tests.
public struct RecordReplay: Sendable {
    /// What happens to each request.
    public enum Mode: String, Sendable, CaseIterable {
        /// Send every request and append every exchange to the recording.
        case record
        /// Serve every request from the recording; no network.
        case replay
        /// Serve what the recording has, send and append the rest.
        case recordMissing = "record-missing"
        /// Send every request; read and write nothing.
        case passThrough = "pass-through"
    }

    /// What an unmatched request does in `replay`.
    public enum Level: String, Sendable, CaseIterable {
        /// Any request not in the recording throws.
        case strict
        /// A request with no counterpart in the recording is logged as a warning and sent.
        case relaxed
    }

    /// The mode.
    public var mode: Mode
    /// The recording file.
    public var path: String
    /// The level of `replay`.
    public var level: Level
    /// JSON body fields left out of matching (dotted paths, e.g. `user`, `metadata.run_id`).
    public var ignoredFields: [String]
    /// The loaded recording and its cursor, shared by copies of this value.
    package let session: RecordReplaySession

    /// Record/replay in `mode` against the recording at `path`.
    public init(mode: Mode, path: String, level: Level = .strict, ignoredFields: [String] = []) {
        self.mode = mode
        self.path = path
        self.level = level
        self.ignoredFields = ignoredFields
        self.session = RecordReplaySession()
    }
}
