import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// A typed span writes `tracespool.span.type` from its type and `openinference.span.kind` from its type unless
    /// the span sets the kind itself; either way each key appears once in the record (OTLP forbids repeated keys).
    @Suite("Span type keys")
    struct SpanTypeKeyTests {
        static let typeKeys = [AttributeNames.spanType, AttributeNames.openInferenceKind]

        /// The spans of the spool, each with the values of its type keys (every occurrence, in record order).
        func typeKeyValues(_ spool: String) throws -> [String: [String: [OTLPValue]]] {
            var result: [String: [String: [OTLPValue]]] = [:]
            for span in try rawSpans(spool) {
                for key in Self.typeKeys {
                    result[span.name, default: [:]][key] = span.attributes.filter { $0.key == key }.map(\.value)
                }
            }
            return result
        }

        @Test("scores are EVALUATOR spans with the kind key once")
        func scoreKind() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.trace("run") { _ in tracer.score("accuracy", .numeric(0.9)) }
                tracer.score(traceID: TraceID(high: 1, low: 2), "later", .categorical("good"))
                #expect(tracer.shutdown())
                let values = try typeKeyValues(spool.path)
                for name in ["score: accuracy", "score: later"] {
                    #expect(values[name]?[AttributeNames.openInferenceKind] == [.string("EVALUATOR")], "\(name)")
                    #expect(values[name]?[AttributeNames.spanType] == [.string("event")], "\(name)")
                }
                #expect(values["run"]?[AttributeNames.openInferenceKind] == [.string("CHAIN")])
            }
        }

        @Test(
            "an explicit kind replaces the type's kind, through the typed list or the dictionary, on both encoding paths",
            arguments: [false, true])
        func explicitKind(generalPath: Bool) throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                func mark(_ span: SpoolSpan) {
                    // A status message takes the general encoding path; without it the span takes the fast one.
                    if generalPath { span.setStatus(SpanStatus(code: .error, message: "general path")) }
                }
                let reranker = SpoolAttribute.string(AttributeNames.openInferenceKind, "RERANKER")
                let typed = tracer.startSpan(.retrieval, "typed", attributes: [reranker])
                mark(typed)
                typed.end()
                let viaDictionary = tracer.startSpan(.tool, "dictionary")
                viaDictionary.attributes[AttributeNames.openInferenceKind] = "EMBEDDING"
                mark(viaDictionary)
                viaDictionary.end()
                // Both: the typed list is newer, and wins.
                let both = tracer.startSpan(.tool, "both")
                both.attributes[AttributeNames.openInferenceKind] = "EMBEDDING"
                both.setAttribute(AttributeNames.openInferenceKind, .string("RERANKER"))
                mark(both)
                both.end()
                // The type key cannot be overridden: it names the span's type for the dump tool and the uploader.
                let retyped = tracer.startSpan(
                    .generation, "retyped", attributes: [.string(AttributeNames.spanType, "tool")])
                retyped.attributes[AttributeNames.spanType] = "agent"
                mark(retyped)
                retyped.end()
                let plain = tracer.startSpan(.generation, "plain")
                mark(plain)
                plain.end()
                #expect(tracer.shutdown())

                let values = try typeKeyValues(spool.path)
                #expect(values["typed"]?[AttributeNames.openInferenceKind] == [.string("RERANKER")])
                #expect(values["dictionary"]?[AttributeNames.openInferenceKind] == [.string("EMBEDDING")])
                #expect(values["both"]?[AttributeNames.openInferenceKind] == [.string("RERANKER")])
                #expect(values["retyped"]?[AttributeNames.spanType] == [.string("generation")])
                #expect(values["retyped"]?[AttributeNames.openInferenceKind] == [.string("LLM")])
                #expect(values["plain"]?[AttributeNames.openInferenceKind] == [.string("LLM")])
                for (name, keys) in values {
                    #expect(keys[AttributeNames.spanType]?.count == 1, "\(name)")
                    #expect(keys[AttributeNames.openInferenceKind]?.count == 1, "\(name)")
                }
            }
        }

        @Test("an explicit kind set through the dictionary survives the attribute count limit")
        func explicitKindOverLimit() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.attributeCountLimit = 3 }
                for i in 0..<20 {
                    let span = tracer.startSpan(.retrieval, "limited \(i)")
                    for k in 0..<10 { span.attributes["k\(k)"] = k }
                    span.attributes[AttributeNames.openInferenceKind] = "RERANKER"
                    span.end()
                }
                #expect(tracer.shutdown())
                for (name, keys) in try typeKeyValues(spool.path) {
                    #expect(keys[AttributeNames.openInferenceKind] == [.string("RERANKER")], "\(name)")
                    #expect(keys[AttributeNames.spanType] == [.string("retrieval")], "\(name)")
                }
                for span in try rawSpans(spool.path) {
                    #expect(span.attributes.count == 2 + 3, "type, kind and 3 of the 10 others: \(span.name)")
                }
                for span in try SpoolContents(reading: spool.path).spans {
                    #expect(span.droppedAttributeCount == 7)
                }
            }
        }

        @Test("the attributes getter reports the explicit kind, else the type's")
        func getterReportsKind() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let reranker = SpoolAttribute.string(AttributeNames.openInferenceKind, "RERANKER")
                let span = tracer.startSpan(.retrieval, "r", attributes: [reranker])
                #expect(span.attributes.get(AttributeNames.openInferenceKind) == .string("RERANKER"))
                #expect(span.attributes.get(AttributeNames.spanType) == .string("retrieval"))
                let plain = tracer.startSpan(.retrieval, "p")
                #expect(plain.attributes.get(AttributeNames.openInferenceKind) == .string("RETRIEVER"))
                span.end()
                plain.end()
                _ = tracer.shutdown()
            }
        }
    }
}

@Suite("Span types and OpenInference kinds")
struct SpanTypeOpenInferenceKindTests {
    @Test("a reader maps each kind the tracer writes back to a span type of that kind")
    func kindsRoundTrip() {
        for type in SpanType.allCases {
            let kind = OpenInferenceSpanKind(rawValue: type.openInferenceKind)
            #expect(kind != nil, "\(type) writes \(type.openInferenceKind)")
            let shown = kind.flatMap { SpanType(rawValue: $0.spanType) }
            #expect(shown?.openInferenceKind == type.openInferenceKind, "\(type) → \(String(describing: kind))")
        }
    }
}
