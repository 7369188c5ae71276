import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Trace and span export")
    struct TraceExportTests {
        @Test("a span snapshot exports as a dictionary and as JSON")
        func spanExport() {
            var attributes = SpanAttributes()
            attributes["b.count"] = 2
            attributes["a.tags"] = ["x", "y"]
            let snapshot = SpanSnapshot(
                name: "lookup", traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), parentSpanID: SpanID(4),
                kind: .client, type: .tool, status: SpanStatus(code: .error, message: "timeout"), startNanos: 100,
                endNanos: 350, attributes: attributes, eventCount: 1)
            let exported = snapshot.export()
            #expect(exported["object"] == "trace.span")
            #expect(exported["id"] == "0000000000000003")
            #expect(exported["trace_id"] == "00000000000000010000000000000002")
            #expect(exported["parent_id"] == "0000000000000004")
            #expect(exported["name"] == "lookup")
            #expect(exported["kind"] == "client")
            #expect(exported["type"] == "tool")
            #expect(exported["started_at_unix_nano"] == .int64(100))
            #expect(exported["ended_at_unix_nano"] == .int64(350))
            #expect(exported["status"] == "error")
            #expect(exported["error"] == "timeout")
            #expect(exported["event_count"] == .int64(1))
            #expect(exported.count == 12)
            #expect(
                snapshot.exportJSON()
                    == #"{"object":"trace.span","id":"0000000000000003","trace_id":"00000000000000010000000000000002","#
                    + #""parent_id":"0000000000000004","name":"lookup","kind":"client","type":"tool","#
                    + #""started_at_unix_nano":100,"ended_at_unix_nano":350,"status":"error","error":"timeout","#
                    + #""event_count":1,"attributes":{"a.tags":["x","y"],"b.count":2}}"#)

            let root = SpanSnapshot(
                name: "r", traceID: TraceID(high: 0, low: 1), spanID: SpanID(1), startNanos: 5, endNanos: 6)
            #expect(root.export()["parent_id"] == nil && root.export()["type"] == nil && root.export()["error"] == nil)
            #expect(root.export()["status"] == "unset" && root.export()["kind"] == "internal")
            #expect(root.exportJSON().contains(#""parent_id":null"#))
        }

        @Test("a trace exports like the OpenAI Agents SDK's Trace.export(), from the span and from its snapshot")
        func traceExport() throws {
            try withTemporarySpool { spool in
                let recorder = RecordingProcessor()
                let tracer = spool.makeQuietTracer { $0.processors = [recorder] }
                var live: [String: SpanAttribute]?
                var childExport: [String: SpanAttribute]? = ["not": "called"]
                tracer.trace("support workflow", session: "group-7", metadata: ["tier": "gold"]) { span in
                    live = span.exportTrace()
                    tracer.withTool("lookup") { tool in childExport = tool.exportTrace() }
                }
                let plain = tracer.startSpan("plain root", context: .topLevel)
                plain.end()
                #expect(tracer.shutdown())

                let spans = try SpoolContents(reading: spool.path)
                let root = try #require(spans.spans(named: "support workflow").first)
                // Session and metadata as recorded (other tests may set process-wide metadata meanwhile).
                let metadata = try #require(root.string(AttributeNames.metadata))
                #expect(metadata.contains(#""tier":"gold""#))
                let expected: [String: SpanAttribute] = [
                    "object": "trace", "id": .string(root.traceID.description), "workflow_name": "support workflow",
                    "group_id": "group-7", "metadata": .string(metadata),
                ]
                #expect(live == expected)
                #expect(childExport == nil)
                let ended = try #require(recorder.ends.first { $0.name == "support workflow" })
                #expect(ended.exportTrace() == expected)
                #expect(
                    ended.exportTraceJSON()
                        == #"{"object":"trace","id":"\#(root.traceID)","workflow_name":"support workflow","#
                        + #""group_id":"group-7","metadata":\#(metadata)}"#)
                #expect(recorder.ends.first { $0.name == "lookup" }?.exportTrace() == nil)
                let plainRecorded = try #require(spans.spans(named: "plain root").first)
                let plainEnded = try #require(recorder.ends.first { $0.name == "plain root" })
                let group = plainRecorded.string(AttributeNames.sessionID).map { #""\#($0)""# } ?? "null"
                let plainMetadata = plainRecorded.string(AttributeNames.metadata) ?? "null"
                #expect(
                    plainEnded.exportTraceJSON()
                        == #"{"object":"trace","id":"\#(plain.traceID!)","workflow_name":"plain root","#
                        + #""group_id":\#(group),"metadata":\#(plainMetadata)}"#)
            }
        }
    }
}
