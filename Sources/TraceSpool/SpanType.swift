import SpoolFormat

/// The kind of step an agent span represents (`tracespool.span.type`), mapped to an OpenInference span kind.
public enum SpanType: String, Sendable, CaseIterable {
    /// A whole workflow (the root of a trace).
    case trace
    /// An agent run.
    case agent
    /// An LLM generation.
    case generation
    /// An embeddings call (a model turning text into vectors; the vectors are not recorded).
    case embedding
    /// A tool / function call.
    case tool
    /// A retrieval (vector search, RAG lookup).
    case retrieval
    /// A chain or step.
    case chain
    /// A hand-off between agents.
    case handoff
    /// A guardrail check.
    case guardrail
    /// A point-in-time record: scores and agent activity (checkpoint, file operation, command, commit).
    case event
    /// Anything else.
    case custom
    /// A reasoning step of an agent (the seeds' step type `thought`).
    case thought
    /// A step that takes in what happened (the seeds' step type `observation`, the default of
    /// `SpoolTracer.step(_:type:input:captureInputOutput:_:)`).
    case observation
    /// A step that failed: the type an error thrown out of `SpoolTracer.step(_:type:input:captureInputOutput:_:)`
    /// gives the step, whatever its type was.
    case error

    /// The `openinference.span.kind` value (`OpenInferenceSpanKind`'s attribute value, a constant on the recording
    /// path).
    var openInferenceKind: String {
        switch self {
        case .trace, .chain, .custom, .event, .thought, .observation, .error:
            OpenInferenceSpanKind.chain.rawValue
        case .agent, .handoff: OpenInferenceSpanKind.agent.rawValue
        case .generation: OpenInferenceSpanKind.llm.rawValue
        case .embedding: OpenInferenceSpanKind.embedding.rawValue
        case .tool: OpenInferenceSpanKind.tool.rawValue
        case .retrieval: OpenInferenceSpanKind.retriever.rawValue
        case .guardrail: OpenInferenceSpanKind.guardrail.rawValue
        }
    }

}

/// The importance of a span (`tracespool.level`), as in Langfuse.
public enum SpanLevel: String, Sendable, CaseIterable {
    /// Verbose detail.
    case debug = "DEBUG"
    /// Normal.
    case `default` = "DEFAULT"
    /// Something looked wrong.
    case warning = "WARNING"
    /// Failed (set automatically when an error is thrown out of a typed `with…` helper).
    case error = "ERROR"
}

/// The value of a score (an evaluation of a trace or span).
public enum ScoreValue: Sendable, Equatable {
    /// A number (`score.data_type` NUMERIC, `score.value` double).
    case numeric(Double)
    /// Pass/fail (`BOOLEAN`, `score.value` 1.0 or 0.0).
    case boolean(Bool)
    /// A label (`CATEGORICAL`, `score.value` string).
    case categorical(String)

    var dataType: String {
        switch self {
        case .numeric: "NUMERIC"
        case .boolean: "BOOLEAN"
        case .categorical: "CATEGORICAL"
        }
    }
}

/// What a file operation did (`file.operation`).
public enum FileOperation: String, Sendable, CaseIterable {
    /// Read a file.
    case read
    /// Wrote (created or replaced) a file.
    case write
    /// Edited part of a file.
    case edit
    /// Deleted a file.
    case delete
    /// Renamed or moved a file.
    case rename
}
