import SwiftSyntax
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacros
import SwiftSyntaxMacrosGenericTestSupport
import Testing
import TraceSpoolMacros

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
            expands: "")
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
            expands: "")
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
            expands: "")
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
            expands: "")
    }
}
