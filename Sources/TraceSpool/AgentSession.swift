import SpoolFormat
public import Tracing

/// A session: a group of traces (a conversation, a user journey) that share an id, a user and metadata — the
/// seeds' `at.session(id)` and Agensight's `{id, name, user_id}`. Made with
/// `SpoolTracer.session(_:name:user:metadata:)`; a cheap value, safe to share between tasks.
///
/// Each `trace` of the session runs `SpoolTracer.trace` with the session's id as `session` and its user as
/// `user`, so `session.id` and `user.id` are stamped on every span of the trace (through `AgentContext`, with its
/// precedence: scopes inside the trace override them). The session's metadata is merged under the trace's own
/// (the trace's wins per key) and written as `metadata` on every span of the trace. The session's name is written
/// as `tracespool.session.name` on each trace span of the session.
public struct AgentSession: Sendable {
    /// The session id (`session.id`).
    public let id: String
    /// The display name (`tracespool.session.name` on the session's trace spans), if any.
    public let name: String?
    /// The user (`user.id`), if any; nil inherits the enclosing or process-wide user.
    public let user: String?
    /// Metadata of the session, merged into every span of its traces (`metadata`).
    public let metadata: [String: String]
    let tracer: SpoolTracer

    /// Runs a trace of this session; see
    /// `SpoolTracer.trace(_:session:user:conversation:metadata:tags:input:captureInputOutput:_:)`.
    /// `user` overrides the session's user for this trace; `metadata` is merged over the session's (it wins per key).
    public func trace<T>(
        _ name: String, user: String? = nil, conversation: String? = nil, metadata: [String: String] = [:],
        tags: [String] = [], input: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        try tracer.trace(
            name, session: id, user: user ?? self.user, conversation: conversation, metadata: merged(metadata),
            tags: tags, input: input, captureInputOutput: captureInputOutput
        ) { span in
            mark(span)
            return try body(span)
        }
    }

    /// Async variant of `trace(_:user:conversation:metadata:tags:input:captureInputOutput:_:)`.
    public func trace<T>(
        _ name: String, user: String? = nil, conversation: String? = nil, metadata: [String: String] = [:],
        tags: [String] = [], input: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        isolation: isolated (any Actor)? = #isolation, _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        try await tracer.trace(
            name, session: id, user: user ?? self.user, conversation: conversation, metadata: merged(metadata),
            tags: tags, input: input, captureInputOutput: captureInputOutput
        ) { span in
            mark(span)
            return try await body(span)
        }
    }

    private func merged(_ traceMetadata: [String: String]) -> [String: String] {
        traceMetadata.isEmpty ? metadata : metadata.merging(traceMetadata) { _, trace in trace }
    }

    private func mark(_ span: SpoolSpan) {
        if let name { span.setAttribute(AttributeNames.sessionName, .string(name)) }
    }
}

extension SpoolTracer {
    /// A session handle whose `trace` calls group traces under `id` (see `AgentSession`). Nothing is recorded until
    /// one of its traces runs; creating a session allocates nothing on the recording path.
    ///
    /// - Parameters:
    ///   - id: the session id, written as `session.id`.
    ///   - name: a display name, written as `tracespool.session.name` on each trace span of the session.
    ///   - user: the user, written as `user.id` on every span of the session's traces.
    ///   - metadata: written (merged with the trace's and the context's) as `metadata` on every span of its traces.
    public func session(
        _ id: String, name: String? = nil, user: String? = nil, metadata: [String: String] = [:]
    ) -> AgentSession {
        AgentSession(id: id, name: name, user: user, metadata: metadata, tracer: self)
    }
}
