import SpoolFormat
import Synchronization
import Tracing

/// User, session, conversation, metadata and tags stamped on every span recorded while they are in effect.
///
/// Precedence, per field (metadata merges per key, tags are united):
/// 1. the innermost `withContext(...)` scope (task-local: it covers the block and every child task it creates);
/// 2. enclosing scopes, including a trace's own `session`/`user`/... (a trace opens a scope for its body);
/// 3. the process-wide values set with `AgentContext.setUser(_:)` and friends.
/// So a trace's own session overrides the global one, and a scope inside the trace overrides the trace's.
public struct AgentContext: Sendable, Equatable {
    /// `user.id`.
    public var userID: String?
    /// `session.id` (also the group id of a multi-trace workflow).
    public var sessionID: String?
    /// `gen_ai.conversation.id`.
    public var conversationID: String?
    /// `metadata`, written as a JSON object string.
    public var metadata: [String: String]
    /// `tag.tags`.
    public var tags: [String]

    /// Creates a context.
    init(
        userID: String? = nil, sessionID: String? = nil, conversationID: String? = nil,
        metadata: [String: String] = [:], tags: [String] = []
    ) {
        self.userID = userID
        self.sessionID = sessionID
        self.conversationID = conversationID
        self.metadata = metadata
        self.tags = tags
    }

    /// Whether no field is set.
    var isEmpty: Bool {
        userID == nil && sessionID == nil && conversationID == nil && metadata.isEmpty && tags.isEmpty
    }

    /// `self` layered over `base`: set fields of `self` win, metadata merges (self wins per key), tags are united.
    func layered(over base: AgentContext) -> AgentContext {
        var result = base
        if let userID { result.userID = userID }
        if let sessionID { result.sessionID = sessionID }
        if let conversationID { result.conversationID = conversationID }
        result.metadata.merge(metadata) { _, new in new }
        for tag in tags where !result.tags.contains(tag) { result.tags.append(tag) }
        return result
    }

    // MARK: Storage

    @TaskLocal static var scoped: AgentContext?
    /// Set (for good) when the first `withContext` scope opens: until then span creation skips the task-local
    /// lookup of `scoped`, which would find nothing. A task that can see a scope was created after it opened, so
    /// a relaxed load is enough.
    static let scopesEverOpened = Atomic<Bool>(false)
    private static let global = Mutex(AgentContext())
    private static let globalIsSet = Atomic<Bool>(false)

    private static func updateGlobal(_ change: (inout AgentContext) -> Void) {
        global.withLock { g in
            change(&g)
            globalIsSet.store(!g.isEmpty, ordering: .releasing)
        }
    }

    // MARK: Global setters and getters

    /// Sets the process-wide user id (nil clears it).
    public static func setUser(_ id: String?) { updateGlobal { $0.userID = id } }
    /// Sets the process-wide session id (nil clears it).
    public static func setSession(_ id: String?) { updateGlobal { $0.sessionID = id } }
    /// Sets the process-wide conversation id (nil clears it).
    public static func setConversation(_ id: String?) { updateGlobal { $0.conversationID = id } }
    /// Replaces the process-wide metadata.
    public static func setMetadata(_ metadata: [String: String]) { updateGlobal { $0.metadata = metadata } }
    /// Replaces the process-wide tags.
    public static func setTags(_ tags: [String]) { updateGlobal { $0.tags = tags } }
    /// Clears every process-wide value.
    public static func clearGlobal() { updateGlobal { $0 = AgentContext() } }

    /// The process-wide values.
    public static var globalContext: AgentContext {
        guard globalIsSet.load(ordering: .acquiring) else { return AgentContext() }
        return global.withLock { $0 }
    }

    /// The values in effect here: the task-local scopes layered over the process-wide values.
    public static var current: AgentContext {
        let base = globalContext
        guard let scoped else { return base }
        return scoped.layered(over: base)
    }

    // MARK: Stamping

    @inline(__always)
    static func stamp(_ span: SpoolSpan, core: TracerCore) {
        let hasGlobal = globalIsSet.load(ordering: .relaxed)
        // The common case (no context was ever set) returns on two loads, before any context value exists.
        guard hasGlobal || (scopesEverOpened.load(ordering: .relaxed) && Self.scoped != nil) else { return }
        let effective = current
        guard !effective.isEmpty else { return }
        if let v = effective.userID { span.setAttribute(AttributeNames.userID, .string(v)) }
        if let v = effective.sessionID { span.setAttribute(AttributeNames.sessionID, .string(v)) }
        if let v = effective.conversationID { span.setAttribute(AttributeNames.conversationID, .string(v)) }
        if !effective.metadata.isEmpty {
            span.setAttribute(AttributeNames.metadata, .string(JSONCapture.object(effective.metadata)))
        }
        if !effective.tags.isEmpty { span.setAttribute(AttributeNames.tags, .stringArray(effective.tags)) }
    }
}

/// Runs `body` with `user`/`session`/... in effect for every span recorded inside, on this task and its child tasks.
/// Nil arguments inherit the enclosing value.
public func withContext<T>(
    user: String? = nil, session: String? = nil, conversation: String? = nil, metadata: [String: String] = [:],
    tags: [String] = [], _ body: () throws -> T
) rethrows -> T {
    let layer = AgentContext(
        userID: user, sessionID: session, conversationID: conversation, metadata: metadata, tags: tags)
    if !AgentContext.scopesEverOpened.load(ordering: .relaxed) {
        AgentContext.scopesEverOpened.store(true, ordering: .relaxed)
    }
    let merged = AgentContext.scoped.map { layer.layered(over: $0) } ?? layer
    return try AgentContext.$scoped.withValue(merged, operation: body)
}

/// Async variant of `withContext(user:session:conversation:metadata:tags:_:)`.
public func withContext<T>(
    user: String? = nil, session: String? = nil, conversation: String? = nil, metadata: [String: String] = [:],
    tags: [String] = [], isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
) async rethrows -> T {
    let layer = AgentContext(
        userID: user, sessionID: session, conversationID: conversation, metadata: metadata, tags: tags)
    if !AgentContext.scopesEverOpened.load(ordering: .relaxed) {
        AgentContext.scopesEverOpened.store(true, ordering: .relaxed)
    }
    let merged = AgentContext.scoped.map { layer.layered(over: $0) } ?? layer
    return try await AgentContext.$scoped.withValue(merged, operation: body)
}
