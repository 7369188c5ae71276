import TraceSpoolLLM

/// Placeholder; see Sources/TraceSpoolLLM.
enum LLMTracedHTTPClientPlaceholder {}
