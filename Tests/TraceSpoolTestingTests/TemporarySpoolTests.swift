import Foundation
import SpoolFormat
import Synchronization
import Testing
import TraceSpool
import TraceSpoolTesting

@Suite("TemporarySpool", .timeLimit(.minutes(1)))
struct TemporarySpoolTests {
    struct Failure: Error {}

    @Test("a fresh 0700 directory under TMPDIR, configured for tests, removed afterwards")
    func directoryAndConfiguration() throws {
        var seen: [String] = []
        for _ in 0..<2 {
            let path = try withTemporarySpool(serviceName: "checkout") { spool in
                let attributes = try FileManager.default.attributesOfItem(atPath: spool.path)
                #expect(attributes[.type] as? FileAttributeType == .typeDirectory)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
                #expect(try FileManager.default.contentsOfDirectory(atPath: spool.path).isEmpty)
                let parent = (ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
                #expect(spool.path.hasPrefix(parent.hasSuffix("/") ? parent : parent + "/"))
                #expect(spool.path.split(separator: "/").last?.hasPrefix("tracespool-test-") == true)
                #expect(spool.configuration.spoolDirectory == spool.path)
                #expect(spool.configuration.serviceName == "checkout")
                #expect(!spool.configuration.shutdownAtExit)
                return spool.path
            }
            #expect(!FileManager.default.fileExists(atPath: path))
            seen.append(path)
        }
        #expect(seen[0] != seen[1])
    }

    @Test("removed when the body throws, sync and async")
    func removedOnThrow() async throws {
        var path = ""
        #expect(throws: Failure.self) {
            try withTemporarySpool { spool in
                path = spool.path
                try FileManager.default.createDirectory(
                    atPath: spool.path + "/dead-letter/x", withIntermediateDirectories: true)
                throw Failure()
            }
        }
        #expect(!path.isEmpty && !FileManager.default.fileExists(atPath: path))
        let asyncPath = Mutex("")
        await #expect(throws: Failure.self) {
            try await withTemporarySpool { spool in
                asyncPath.withLock { $0 = spool.path }
                await Task.yield()
                throw Failure()
            }
        }
        let removed = asyncPath.withLock { $0 }
        #expect(!removed.isEmpty && !FileManager.default.fileExists(atPath: removed))
    }

    @Test("contents() flushes the tracers the spool made; the scope shuts them down, sealing their segments")
    func flushesAndShutsDown() async throws {
        let tracer = try await withTemporarySpool { spool in
            // A drain interval of a day: only a flush makes the spans reach the disk.
            let tracer = spool.makeTracer { $0.drainIntervalMillis = 86_400_000 }
            tracer.startSpan("sync").end()
            #expect(try Self.blockingSpans(spool).map(\.operationName) == ["sync"])
            tracer.startSpan("async").end()
            #expect(try await spool.spans().map(\.operationName) == ["sync", "async"])
            let other = spool.makeTracer { $0.serviceName = "other" }
            other.startSpan("from other").end()
            let contents = try await spool.contents()
            #expect(contents.span(named: "from other")?.resource.get("service.name") == "other")
            #expect(contents.span(named: "sync")?.resource.get("service.name") == "tests")
            #expect(contents.isIntact)
            return tracer
        }
        #expect(!tracer.isEnabled)
    }

    /// The blocking `spans()`, callable from async tests (where the async overload is preferred).
    static func blockingSpans(_ spool: TemporarySpool) throws -> [RecordedSpan] {
        try spool.spans()
    }

    @Test("the scope shuts its tracers down before it removes the directory")
    func shutsDownBeforeRemoval() throws {
        let (tracer, path) = try withTemporarySpool { spool in
            let tracer = spool.makeTracer { $0.drainIntervalMillis = 86_400_000 }
            tracer.startSpan("pending").end()  // in the tracer's buffer: the shutdown writes it
            return (tracer, spool.path)
        }
        #expect(!tracer.isEnabled)
        // Shut down after the removal, the tracer would have re-created the directory to write its span.
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
