import TraceSpoolLLM

/// Placeholder; see Sources/TraceSpoolLLM.
enum LLMTracingMiddlewarePlaceholder {}
