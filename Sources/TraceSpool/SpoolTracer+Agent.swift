import SpoolFormat
public import Tracing

extension SpoolTracer {
    // MARK: Typed spans

    /// Starts a span of `type` now, as a child of the span in `context` (default: the current task-local context),
    /// optionally with its attributes (see `startSpan(_:context:ofKind:attributes:)`). End it with `end()`.
    public func startSpan(
        _ type: SpanType, _ operationName: String, context: InstrumentationContext = .current ?? .topLevel,
        ofKind kind: SpanKind = .internal, attributes: [SpoolAttribute] = []
    ) -> SpoolSpan {
        _startSpan(operationName, context: context, kind: kind, type: type, attributes: attributes)
    }

    /// Runs `body` inside a span of `type`: the span is current (task-local) for the body, a thrown error is
    /// recorded (status error, `exception` event, level ERROR) and rethrown, and the span ends when `body` returns.
    ///
    /// `input` is captured (see `SpoolSpan.setInput(_:)`) before the body runs. `captureInputOutput` switches
    /// input/output capture for this span before that (see `SpoolSpan.setCaptureInputOutput(_:)`); nil keeps
    /// `TracerConfiguration.captureInputOutput`. Calling `setCaptureInputOutput` inside the body is too late for
    /// `input`.
    public func withSpan<T>(
        _ type: SpanType, _ operationName: String, ofKind kind: SpanKind = .internal, input: (any Encodable)? = nil,
        captureInputOutput: Bool? = nil, _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        let span = startSpan(type, operationName, ofKind: kind)
        Self.prepare(span, captureInputOutput, input)
        defer { span.end() }
        do {
            return try InstrumentationContext.$current.withValue(span.context) { try body(span) }
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            span.setLevel(.error)
            throw error
        }
    }

    /// Async variant of `withSpan(_:_:ofKind:input:captureInputOutput:_:)`; child tasks inherit the span as parent.
    public func withSpan<T>(
        _ type: SpanType, _ operationName: String, ofKind kind: SpanKind = .internal, input: (any Encodable)? = nil,
        captureInputOutput: Bool? = nil, isolation: isolated (any Actor)? = #isolation,
        _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        let span = startSpan(type, operationName, ofKind: kind)
        Self.prepare(span, captureInputOutput, input)
        defer { span.end() }
        do {
            return try await InstrumentationContext.$current.withValue(span.context) { try await body(span) }
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            span.setLevel(.error)
            throw error
        }
    }

    /// Applies the per-span capture switch, then captures the input.
    static func prepare(_ span: SpoolSpan, _ captureInputOutput: Bool?, _ input: (any Encodable)?) {
        if let captureInputOutput { span.setCaptureInputOutput(captureInputOutput) }
        if let input { span.setInput(input) }
    }

    // MARK: Traces

    /// Runs a whole workflow as a trace: a `trace` span whose `session`/`user`/`conversation`/`metadata`/`tags`
    /// are stamped on every span recorded inside (they override the global values; inner `withContext` scopes
    /// override them). Nested inside an existing span, the trace becomes its child. `captureInputOutput` applies to
    /// the trace span only, before `input` is captured (nil: `TracerConfiguration.captureInputOutput`). Inside the
    /// body, `SpoolSpan.currentTrace` is the trace span.
    public func trace<T>(
        _ name: String, session: String? = nil, user: String? = nil, conversation: String? = nil,
        metadata: [String: String] = [:], tags: [String] = [], input: (any Encodable)? = nil,
        captureInputOutput: Bool? = nil, _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        try withContext(user: user, session: session, conversation: conversation, metadata: metadata, tags: tags) {
            try withSpan(.trace, name, input: input, captureInputOutput: captureInputOutput) { span in
                try CurrentTrace.$span.withValue(span) { try body(span) }
            }
        }
    }

    /// Async variant of `trace(_:session:user:conversation:metadata:tags:input:captureInputOutput:_:)`.
    public func trace<T>(
        _ name: String, session: String? = nil, user: String? = nil, conversation: String? = nil,
        metadata: [String: String] = [:], tags: [String] = [], input: (any Encodable)? = nil,
        captureInputOutput: Bool? = nil, isolation: isolated (any Actor)? = #isolation,
        _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        try await withContext(
            user: user, session: session, conversation: conversation, metadata: metadata, tags: tags
        ) {
            try await withSpan(.trace, name, input: input, captureInputOutput: captureInputOutput) { span in
                try await CurrentTrace.$span.withValue(span) { try await body(span) }
            }
        }
    }

    // MARK: Generations

    /// Runs an LLM generation span (`openinference.span.kind` LLM, kind client, `gen_ai.operation.name` `chat`:
    /// set `AttributeNames.operationName` in the body for another operation) with its model, provider (see
    /// `SpoolSpan.setModel(_:system:)`), parameters (any `Encodable`, stored as JSON; see
    /// `SpoolSpan.setModelParameters(_:)`), input messages with their tool calls (see
    /// `SpoolSpan.setInputMessages(_:)`) and the tools offered to the model (see `SpoolSpan.setTools(_:)`). Set the
    /// outcome inside with `setOutputMessages` (or `setOutput`), `setUsage`, `setResponse` and
    /// `setTimeToFirstToken`. `captureInputOutput` switches capture for this span before the messages are captured
    /// (nil: `TracerConfiguration.captureInputOutput`); tools and parameters are recorded either way. `prompt` links
    /// the generation to its prompt (see `SpoolSpan.setPrompt(_:)`); without `messages`, a chat prompt's compiled
    /// messages are the input messages.
    public func withGeneration<T>(
        _ name: String, model: String, system: String? = nil, parameters: (any Encodable)? = nil,
        messages: [ChatMessage] = [], tools: [ToolDefinition] = [], prompt: CompiledPrompt? = nil,
        captureInputOutput: Bool? = nil, _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        try withSpan(.generation, name, ofKind: .client, captureInputOutput: captureInputOutput) { span in
            Self.configureGeneration(span, model, system, parameters, messages, tools)
            if let prompt { span.setPrompt(prompt, messagesGiven: !messages.isEmpty) }
            return try body(span)
        }
    }

    /// Async variant of `withGeneration(_:model:system:parameters:messages:tools:prompt:captureInputOutput:_:)`.
    public func withGeneration<T>(
        _ name: String, model: String, system: String? = nil, parameters: (any Encodable)? = nil,
        messages: [ChatMessage] = [], tools: [ToolDefinition] = [], prompt: CompiledPrompt? = nil,
        captureInputOutput: Bool? = nil, isolation: isolated (any Actor)? = #isolation,
        _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        try await withSpan(.generation, name, ofKind: .client, captureInputOutput: captureInputOutput) { span in
            Self.configureGeneration(span, model, system, parameters, messages, tools)
            if let prompt { span.setPrompt(prompt, messagesGiven: !messages.isEmpty) }
            return try await body(span)
        }
    }

    static func configureGeneration(
        _ span: SpoolSpan, _ model: String, _ system: String?, _ parameters: (any Encodable)?,
        _ messages: [ChatMessage], _ tools: [ToolDefinition]
    ) {
        span.recordGeneration(
            operation: "chat", model: model, system: system, parameters: parameters, tools: tools, messages: messages)
    }

    // MARK: Tools and other steps
    //
    // Each helper's `captureInputOutput` switches capture for its span before its input is captured (nil: the
    // tracer's `TracerConfiguration.captureInputOutput`); see `withSpan(_:_:ofKind:input:captureInputOutput:_:)`.

    /// Runs a tool / function call span (`gen_ai.tool.name`, `tool.name`, `gen_ai.operation.name` `execute_tool`)
    /// with its arguments as input.
    public func withTool<T>(
        _ name: String, input: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        try withSpan(.tool, name, input: input, captureInputOutput: captureInputOutput) { span in
            Self.configureTool(span, name)
            return try body(span)
        }
    }

    /// Async variant of `withTool(_:input:captureInputOutput:_:)`.
    public func withTool<T>(
        _ name: String, input: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        isolation: isolated (any Actor)? = #isolation, _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        try await withSpan(.tool, name, input: input, captureInputOutput: captureInputOutput) { span in
            Self.configureTool(span, name)
            return try await body(span)
        }
    }

    static func configureTool(_ span: SpoolSpan, _ name: String) {
        span.setAttribute(AttributeNames.operationName, .string("execute_tool"))
        span.setAttribute(AttributeNames.genAIToolName, .string(name))
        span.setAttribute(AttributeNames.toolName, .string(name))
    }

    /// Runs an agent span (`gen_ai.operation.name` `invoke_agent`, `gen_ai.agent.name` = `name`).
    public func withAgent<T>(
        _ name: String, input: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        try withSpan(.agent, name, input: input, captureInputOutput: captureInputOutput) { span in
            Self.configureAgent(span, name)
            return try body(span)
        }
    }

    /// Async variant of `withAgent(_:input:captureInputOutput:_:)`.
    public func withAgent<T>(
        _ name: String, input: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        isolation: isolated (any Actor)? = #isolation, _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        try await withSpan(.agent, name, input: input, captureInputOutput: captureInputOutput) { span in
            Self.configureAgent(span, name)
            return try await body(span)
        }
    }

    static func configureAgent(_ span: SpoolSpan, _ name: String) {
        span.setAttribute(AttributeNames.operationName, .string("invoke_agent"))
        span.setAttribute(AttributeNames.agentName, .string(name))
    }

    /// Runs a retrieval span with its query as input.
    public func withRetrieval<T>(
        _ name: String, query: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        try withSpan(.retrieval, name, input: query, captureInputOutput: captureInputOutput, body)
    }

    /// Async variant of `withRetrieval(_:query:captureInputOutput:_:)`.
    public func withRetrieval<T>(
        _ name: String, query: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        isolation: isolated (any Actor)? = #isolation, _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        try await withSpan(.retrieval, name, input: query, captureInputOutput: captureInputOutput, body)
    }

    /// Runs a hand-off span from one agent to another (`handoff.from`, `handoff.to`), named `handoff <from> -> <to>`.
    public func withHandoff<T>(
        from: String, to: String, captureInputOutput: Bool? = nil, _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        try withSpan(.handoff, "handoff \(from) -> \(to)", captureInputOutput: captureInputOutput) { span in
            Self.configureHandoff(span, from, to)
            return try body(span)
        }
    }

    /// Async variant of `withHandoff(from:to:captureInputOutput:_:)`.
    public func withHandoff<T>(
        from: String, to: String, captureInputOutput: Bool? = nil, isolation: isolated (any Actor)? = #isolation,
        _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        try await withSpan(.handoff, "handoff \(from) -> \(to)", captureInputOutput: captureInputOutput) { span in
            Self.configureHandoff(span, from, to)
            return try await body(span)
        }
    }

    static func configureHandoff(_ span: SpoolSpan, _ from: String, _ to: String) {
        span.setAttribute("handoff.from", .string(from))
        span.setAttribute("handoff.to", .string(to))
    }

    /// Runs a guardrail span; record the verdict with `span.setAttribute("guardrail.triggered", ...)` or a score.
    public func withGuardrail<T>(
        _ name: String, input: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        try withSpan(.guardrail, name, input: input, captureInputOutput: captureInputOutput, body)
    }

    /// Async variant of `withGuardrail(_:input:captureInputOutput:_:)`.
    public func withGuardrail<T>(
        _ name: String, input: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        isolation: isolated (any Actor)? = #isolation, _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        try await withSpan(.guardrail, name, input: input, captureInputOutput: captureInputOutput, body)
    }

    // MARK: Scores

    /// Scores the current span (from the task-local context); ignored outside any span.
    public func score(_ name: String, _ value: ScoreValue, comment: String? = nil) {
        guard let core, let current = InstrumentationContext.current?.spoolSpanContext, current.isSampled else {
            return
        }
        core.recordScore(name, value, comment: comment, traceID: current.traceID, spanID: current.spanID)
    }

    /// Scores a trace (or one of its spans) later, knowing only its ids — e.g. from user feedback after the
    /// response was sent. Written as an `event` span of that trace (a child of `spanID`, else parentless). Not
    /// written when a `traceidratio` sampler (or `always_off`) dropped the trace; under a parent-based sampler a
    /// remote parent may have decided for the trace, so the score is written.
    public func score(
        traceID: TraceID, spanID: SpanID? = nil, _ name: String, _ value: ScoreValue, comment: String? = nil
    ) {
        core?.recordScore(name, value, comment: comment, traceID: traceID, spanID: spanID)
    }

    // MARK: Agent activity records
    //
    // Texts that an activity record captures (file contents, command output) follow the capture switch of the
    // current span (its `setCaptureInputOutput` / `captureInputOutput:` override, else the tracer's
    // `TracerConfiguration.captureInputOutput`; off: not written) and are cut to `maxInputOutputBytes` UTF-8 bytes
    // with a `…[truncated]` marker.

    /// Records a checkpoint (a resumable state of an agent run) as an `event` span under the current span:
    /// `checkpoint.id`, `checkpoint.description`, `checkpoint.files` (array of strings, the files the state covers,
    /// written when not empty) and `metadata` (JSON object, written when not empty).
    public func recordCheckpoint(
        _ name: String, id: String? = nil, description: String? = nil, files: [String] = [],
        metadata: [String: String] = [:]
    ) {
        var attributes: [(String, SpanAttribute)] = []
        if let id { attributes.append(("checkpoint.id", .string(id))) }
        if let description { attributes.append(("checkpoint.description", .string(description))) }
        if !files.isEmpty { attributes.append(("checkpoint.files", .stringArray(files))) }
        if !metadata.isEmpty { attributes.append((AttributeNames.metadata, .string(JSONCapture.object(metadata)))) }
        recordActivity("checkpoint: \(name)", "checkpoint", attributes)
    }

    /// Records a file operation of an agent (`file.path`, `file.operation`, optional `file.size` in bytes). The
    /// content before the operation is written as `input.value` and the content after it as `output.value` (both
    /// with mime type text/plain), subject to the capture switch and cut to the I/O size limit.
    public func recordFileOperation(
        _ operation: FileOperation, path: String, sizeBytes: Int? = nil, before: String? = nil, after: String? = nil
    ) {
        var attributes: [(String, SpanAttribute)] = [
            ("file.path", .string(path)), ("file.operation", .string(operation.rawValue)),
        ]
        if let sizeBytes { attributes.append(("file.size", .int64(Int64(sizeBytes)))) }
        appendText(before, AttributeNames.inputValue, mimeKey: AttributeNames.inputMimeType, to: &attributes)
        appendText(after, AttributeNames.outputValue, mimeKey: AttributeNames.outputMimeType, to: &attributes)
        recordActivity("file \(operation.rawValue)", "file_operation", attributes)
    }

    /// Records a terminal command run by an agent: `process.command_line`, `process.exit_code`,
    /// `process.duration_ms` (milliseconds), standard output as `output.value` (text/plain) and standard error as
    /// `process.stderr`, both subject to the capture switch and cut to the I/O size limit.
    public func recordCommand(
        _ commandLine: String, exitCode: Int32? = nil, stdout: String? = nil, stderr: String? = nil,
        durationMillis: Double? = nil
    ) {
        var attributes: [(String, SpanAttribute)] = [("process.command_line", .string(commandLine))]
        if let exitCode { attributes.append(("process.exit_code", .int64(Int64(exitCode)))) }
        appendText(stdout, AttributeNames.outputValue, mimeKey: AttributeNames.outputMimeType, to: &attributes)
        appendText(stderr, "process.stderr", to: &attributes)
        if let durationMillis { attributes.append(("process.duration_ms", .double(durationMillis))) }
        recordActivity("command", "terminal_command", attributes)
    }

    /// Links a git commit to the current trace (`vcs.ref.head.revision`, `vcs.repository.url.full`,
    /// `vcs.ref.head.name`, `vcs.commit.message`).
    ///
    /// Without `sha`, the commit checked out in the git working tree holding `workingTree` (default: the current
    /// directory) is read from its files, without running `git`, and fills `sha`, a missing `branch` and a missing
    /// `repository` (`remote.origin.url`); when there is none, nothing is recorded and the reason is logged at debug
    /// level (see Docs/Tracer.md, "Run snapshot").
    public func recordGitCommit(
        sha: String? = nil, repository: String? = nil, branch: String? = nil, message: String? = nil,
        workingTree: String = "."
    ) {
        var (sha, repository, branch) = (sha, repository, branch)
        if sha == nil, core != nil {
            do {
                let found = try GitWorkingTree.checkedOutCommit(at: workingTree)
                (sha, branch, repository) = (found.revision, branch ?? found.branch, repository ?? found.repositoryURL)
            } catch { logger.debug("recordGitCommit: no commit recorded: \(error)") }
        }
        guard let sha else { return }
        recordActivity(
            "git commit \(sha.prefix(12))", "git_commit", Self.gitAttributes(sha, repository, branch, message))
    }

    /// Links a git commit to a trace known only by its id (and optionally one of its spans), e.g. after the agent
    /// run ended: written as an `event` span of that trace, a child of `spanID` or else parentless, like
    /// `score(traceID:spanID:_:_:comment:)`. Attributes as in `recordGitCommit(sha:repository:branch:message:)`.
    /// Dropped when the tracer is disabled or shut down, and, as a score by id is, for a trace the sampler dropped.
    public func recordGitCommit(
        traceID: TraceID, spanID: SpanID? = nil, sha: String, repository: String? = nil, branch: String? = nil,
        message: String? = nil
    ) {
        core?.recordEventSpan(
            "git commit \(sha.prefix(12))", activity: "git_commit", traceID: traceID, spanID: spanID,
            attributes: Self.gitAttributes(sha, repository, branch, message))
    }

    private static func gitAttributes(
        _ sha: String, _ repository: String?, _ branch: String?, _ message: String?
    ) -> [(String, SpanAttribute)] {
        var attributes: [(String, SpanAttribute)] = [(AttributeNames.vcsRefHeadRevision, .string(sha))]
        if let repository { attributes.append((AttributeNames.vcsRepositoryURLFull, .string(repository))) }
        if let branch { attributes.append((AttributeNames.vcsRefHeadName, .string(branch))) }
        if let message { attributes.append((AttributeNames.vcsCommitMessage, .string(message))) }
        return attributes
    }

    /// Appends `text` (cut to the I/O size limit) under `key`, and text/plain under `mimeKey`, unless capture is off
    /// for the current span (or, outside any span of this process, for the tracer).
    private func appendText(
        _ text: String?, _ key: String, mimeKey: String? = nil, to attributes: inout [(String, SpanAttribute)]
    ) {
        guard let text else { return }
        let active = InstrumentationContext.current?[ActiveSpanKey.self]
        guard active.map({ SpoolSpan(storage: $0).capturesInputOutput }) ?? configuration.captureInputOutput else {
            return
        }
        let captured = JSONCapture.truncate(text, configuration.maxInputOutputBytes, redactor: core?.redactor)
        attributes.append((key, .string(captured)))
        if let mimeKey { attributes.append((mimeKey, .string("text/plain"))) }
    }

    private func recordActivity(_ name: String, _ activity: String, _ attributes: [(String, SpanAttribute)]) {
        let parent = InstrumentationContext.current ?? .topLevel
        core?.recordEventSpan(name, activity: activity, parentContext: parent, attributes: attributes)
    }
}
