@_exported public import TraceSpool

/// Runs the function's body inside a span, through the `SpoolTracer` helper a hand-written call would use: the
/// Swift counterpart of the Python SDKs' `@trace` / `@observe` decorators.
///
/// ```swift
/// import TraceSpoolTraced  // Package.swift: .product(name: "TraceSpoolTraced", package: "TraceSpool")
///
/// @Traced(type: .tool, captureInput: true, captureOutput: true)
/// func lookup(order: String, limit: Int) async throws -> [String] {
///     try await store.orders(matching: order, limit: limit)
/// }
/// ```
///
/// The body runs inside `tracer.withSpan(type, name, input:) { … }` (`withTool`, `withAgent`, `withRetrieval`,
/// `withGuardrail` or `trace` when `type` is written as that literal case), so the span is the current span for
/// the body, a thrown error is recorded (status error, `exception` event, level ERROR) and rethrown, and the span
/// ends when the function returns. Sync and async, throwing or not, generic functions and methods (including
/// `mutating` and `static`) are supported; initializers, accessors, `rethrows` and typed-`throws` functions are
/// compile-time errors.
///
/// - Parameters:
///   - name: the span's name (default: the function's name as `#function` spells it, e.g. `lookup(order:limit:)`).
///   - type: the span's type (default `.chain`).
///   - tracer: the tracer, an expression evaluated at each call (a global or a static property: the attribute cannot
///     see `self`; for a tracer the instance holds, pass a key path, see `Traced(_:type:tracer:captureInput:captureOutput:)`
///     with `Root`). Default: `TracedTracer.current`, the tracer bound by
///     swift-distributed-tracing's `withTracer` or bootstrapped in `InstrumentationSystem` when it is a
///     `SpoolTracer`; otherwise the function runs without recording a span.
///   - captureInput: record the arguments as the span's input (`input.value`, a JSON object keyed by parameter name):
///     the `Encodable` ones, evaluated when the function is called; arguments of other types and `inout`
///     parameters are left out. Like `SpoolSpan.setInput(_:)`, nothing is recorded when the span's capture switch
///     (`TracerConfiguration.captureInputOutput`) is off. Must be a literal.
///   - captureOutput: record the returned value as the span's output (`output.value`), when it is `Encodable`;
///     not for opaque (`some P`) result types. Must be a literal.
@attached(body)
public macro Traced(
    _ name: String? = nil, type: SpanType = .chain, tracer: SpoolTracer? = nil, captureInput: Bool = false,
    captureOutput: Bool = false
) = #externalMacro(module: "TraceSpoolMacros", type: "TracedBodyMacro")

/// `@Traced` recording with the tracer an instance holds: `tracer` is a key path from the enclosing type, written
/// with its root (`\Self.tracer`), and the body reads `self.tracer` at each call. Otherwise as
/// `Traced(_:type:tracer:captureInput:captureOutput:)`.
@attached(body)
public macro Traced<Root>(
    _ name: String? = nil, type: SpanType = .chain, tracer: KeyPath<Root, SpoolTracer>, captureInput: Bool = false,
    captureOutput: Bool = false
) = #externalMacro(module: "TraceSpoolMacros", type: "TracedBodyMacro")
