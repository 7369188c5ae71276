import Foundation
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("InstrumentationSystem")
    struct BootstrapTests {
        /// The only test that bootstraps the process-wide tracer (bootstrapping twice is a precondition failure).
        @Test("after bootstrap, the global withSpan and startSpan functions record into the spool")
        func bootstrapAndGlobalAPI() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                InstrumentationSystem.bootstrap(tracer)
                withSpan("global-sync", ofKind: .server) { span in
                    span.attributes["http.request.method"] = "GET"
                    withSpan("global-child") { _ in }
                }
                await withSpan("global-async") { _ in
                    await Task.yield()
                }
                #expect(await tracer.flush(timeoutMillis: 30_000))
                let contents = try SpoolContents(reading: spool.path)
                let parent = try #require(contents.spans(named: "global-sync").first)
                #expect(parent.kind == .server)
                #expect(parent.attributes.get("http.request.method") == "GET")
                #expect(try #require(contents.spans(named: "global-child").first).parentSpanID == parent.spanID)
                #expect(contents.spans(named: "global-async").count == 1)
                tracer.shutdown()
            }
        }
    }
}
