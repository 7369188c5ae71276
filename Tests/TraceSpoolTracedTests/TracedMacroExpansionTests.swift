import SwiftSyntax
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacros
import SwiftSyntaxMacrosGenericTestSupport
import Testing
import TraceSpoolMacroCore

@Suite("@Traced expansion")
struct TracedMacroExpansionTests {
    let macros: [String: MacroSpec] = ["Traced": MacroSpec(type: TracedMacro.self)]

    func expect(
        _ source: String, expands expanded: String, diagnostics: [DiagnosticSpec] = [],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        assertMacroExpansion(
            source, expandedSource: expanded, diagnostics: diagnostics, macroSpecs: macros,
            failureHandler: { Issue.record(Comment(rawValue: $0.message), sourceLocation: sourceLocation) })
    }

    @Test("a sync function: withSpan(.chain) named as #function spells it, no input, no output")
    func syncFunction() {
        expect(
            """
            @Traced
            func add(_ a: Int, to b: Int) -> Int {
                a + b
            }
            """,
            expands:
                """
                func add(_ a: Int, to b: Int) -> Int {
                    return TraceSpoolTraced.TracedTracer.current.withSpan(.chain, "add(_:to:)") { _ in
                         a + b
                     }
                }
                """)
    }

    @Test("an async throwing tool: withTool, Encodable-candidate arguments as input, inout and closures left out")
    func asyncThrowingTool() {
        expect(
            """
            @Traced("search", type: .tool, captureInput: true)
            func search(for query: String, into results: inout [String], where keep: @escaping (String) -> Bool, _ limit: Int, _ _: Bool) async throws {
                results += try await index.find(query, limit: limit).filter(keep)
            }
            """,
            expands:
                """
                func search(for query: String, into results: inout [String], where keep: @escaping (String) -> Bool, _ limit: Int, _ _: Bool) async throws {
                    return try await TraceSpoolTraced.TracedTracer.current.withTool("search", input: TraceSpoolTraced.TracedArguments(("query", TraceSpoolTraced.TracedArguments.value(query)), ("limit", TraceSpoolTraced.TracedArguments.value(limit)))) { _ async throws in
                         results += try await index.find(query, limit: limit).filter(keep)
                     }
                }
                """)
    }

    @Test("captureOutput with an instance's tracer: the body in a closure whose result is recorded")
    func captureOutput() {
        expect(
            """
            @Traced(type: .retrieval, tracer: \\Self.tracer, captureInput: true, captureOutput: true)
            mutating func first<T: Encodable>(of items: [T]) throws -> T? {
                count += 1
                return items.first
            }
            """,
            expands:
                """
                mutating func first<T: Encodable>(of items: [T]) throws -> T? {
                    return try self.tracer.withRetrieval("first(of:)", query: TraceSpoolTraced.TracedArguments(("items", TraceSpoolTraced.TracedArguments.value(items)))) { __tracedSpan throws in
                         let __tracedResult: T? = try { () throws -> T? in
                             count += 1
                                 return items.first
                         }()
                         TraceSpoolTraced.TracedArguments.setOutput(__tracedResult, on: __tracedSpan)
                         return __tracedResult
                     }
                }
                """)
    }

    @Test("a static tracer and a span type that is not a literal case go to withSpan as written")
    func staticTracerAndTypeExpression() {
        expect(
            """
            @Traced(type: Step.kind, tracer: App.tracer)
            static func run() async {
                await work()
            }
            """,
            expands:
                """
                static func run() async {
                    return await App.tracer.withSpan(Step.kind, "run()") { _ async in
                         await work()
                     }
                }
                """)
    }

    // MARK: Diagnostics

    @Test("an initializer is an error (its body cannot move into a closure), the body is left as written")
    func initializer() {
        expect(
            """
            struct S {
                @Traced
                init() {}
            }
            """,
            expands:
                """
                struct S {
                    init() {}
                }
                """,
            diagnostics: [
                DiagnosticSpec(
                    message: "'@Traced' applies to functions, not to initializers; move the work into a function, or "
                        + "wrap it in 'SpoolTracer.withSpan'", line: 2, column: 5)
            ])
    }

    @Test("a function without a body is an error")
    func noBody() {
        expect(
            """
            protocol P {
                @Traced
                func f()
            }
            """,
            expands:
                """
                protocol P {
                    func f()
                }
                """,
            diagnostics: [DiagnosticSpec(message: "'@Traced' needs a function with a body", line: 2, column: 5)])
    }

    @Test("rethrows and typed throws are errors")
    func unsupportedThrows() {
        expect(
            """
            @Traced
            func each(_ body: () throws -> Void) rethrows {
                try body()
            }
            @Traced
            func parse() throws(ParseError) {
            }
            """,
            expands:
                """
                func each(_ body: () throws -> Void) rethrows {
                    try body()
                }
                func parse() throws(ParseError) {
                }
                """,
            diagnostics: [
                DiagnosticSpec(
                    message: "'@Traced' does not support 'rethrows' functions (the span's closure cannot rethrow the "
                        + "parameter's error); declare the function 'throws', or call 'SpoolTracer.withSpan' in its body",
                    line: 2, column: 38),
                DiagnosticSpec(
                    message: "'@Traced' does not support typed throws: the span helpers rethrow 'any Error'; declare "
                        + "the function 'throws', or call 'SpoolTracer.withSpan' in its body",
                    line: 6, column: 14),
            ])
    }

    @Test("a capture flag that is not a literal is an error")
    func flagNotALiteral() {
        expect(
            """
            @Traced(captureInput: Settings.capture)
            func f(x: Int) {
            }
            """,
            expands:
                """
                func f(x: Int) {
                }
                """,
            diagnostics: [
                DiagnosticSpec(
                    message: "'captureInput:' must be the literal 'true' or 'false' (the macro decides the expansion "
                        + "from it)", line: 1, column: 23)
            ])
    }

    @Test("captureOutput on a function without a result warns; on an opaque result it is an error")
    func captureOutputWithoutUsableResult() {
        expect(
            """
            @Traced(captureOutput: true)
            func f() {
            }
            @Traced(captureOutput: true)
            func g() -> some Collection {
                [1]
            }
            """,
            expands:
                """
                func f() {
                    return TraceSpoolTraced.TracedTracer.current.withSpan(.chain, "f()") { _ in

                     }
                }
                func g() -> some Collection {
                    [1]
                }
                """,
            diagnostics: [
                DiagnosticSpec(
                    message: "'captureOutput: true' has no effect: the function returns no value", line: 1, column: 1,
                    severity: .warning),
                DiagnosticSpec(
                    message: "'captureOutput: true' needs a result type that can be written in a closure's signature; "
                        + "an opaque 'some' result cannot: return a concrete type, or call 'span.setOutput' in a "
                        + "'SpoolTracer.withSpan' body", line: 5, column: 13),
            ])
    }
}
