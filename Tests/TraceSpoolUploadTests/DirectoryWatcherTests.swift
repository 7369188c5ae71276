import Foundation
import ServiceLifecycle
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolTesting

@testable import TraceSpoolUpload

/// Makes one directory (its parent must exist).
private func makeDirectory(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
}

/// Creates a small file.
private func writeFile(_ path: String) {
    #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
}

/// Whether a wait started before `change` is woken by the change. Its timeout runs on a manual clock that never
/// moves, so only a change can end it (a missing wake hangs until the test's time limit).
private func wakes(_ watcher: DirectoryWatcher, when change: () throws -> Void) async rethrows -> Bool {
    let clock = ManualClock()
    let wait = Task { await watcher.wait(timeout: .seconds(10), clock: clock, stop: StopSignal()) }
    await clock.waitForSleepers(count: 1)
    try change()
    return await wait.valueUnlessCancelled
}

@Suite(.timeLimit(.minutes(1))) struct DirectoryWatcherTests {
    @Test func withoutInotifyItPollsUntilTheTimeout() async throws {
        try await withTemporarySpool { spool in
            let watcher = DirectoryWatcher(paths: [spool.path], useInotify: false)
            #expect(!watcher.usesInotify)
            #expect(watcher.watchedPaths.isEmpty)
            let clock = ManualClock()
            let wait = Task { await watcher.wait(timeout: .milliseconds(40), clock: clock, stop: StopSignal()) }
            await clock.waitForSleepers(count: 1)
            #expect(clock.sleepDeadlines == [clock.now.advanced(by: .milliseconds(40))])
            clock.advance(by: .milliseconds(40))
            #expect(await !wait.valueUnlessCancelled)
        }
    }

    @Test func aStopEndsTheWait() async throws {
        try await withTemporarySpool { spool in
            let watcher = DirectoryWatcher(paths: [spool.path])
            let clock = ManualClock()
            let stop = StopSignal()
            let wait = Task { await watcher.wait(timeout: .seconds(10), clock: clock, stop: stop) }
            await clock.waitForSleepers(count: 1)
            stop.raise()
            #expect(await !wait.valueUnlessCancelled)
            #expect(
                await !watcher.wait(timeout: .seconds(10), clock: clock, stop: stop), "a raised stop returns at once")
        }
    }

    #if os(Linux)
        @Test func aMissingSpoolIsWatchedFromItsNearestAncestorUntilItAppears() async throws {
            try await withTemporarySpool { tmp in try await missingSpool(DirectoryWatcher.normalize(tmp.path)) }
        }

        private func missingSpool(_ base: String) async throws {
            let spool = base + "/a/b/spool"
            let watcher = DirectoryWatcher(paths: [spool])
            #expect(watcher.usesInotify)
            #expect(watcher.watchedPaths == [base])
            // Each intermediate directory moves the watch down; none of them is a change of the spool.
            try makeDirectory(base + "/a")
            #expect(!watcher.processEvents())
            #expect(watcher.watchedPaths == [base + "/a"])
            try makeDirectory(base + "/a/b")
            #expect(!watcher.processEvents())
            #expect(watcher.watchedPaths == [base + "/a/b"])
            // The spool directory appearing wakes a running wait, and it is watched from then on.
            #expect(try await wakes(watcher) { try makeDirectory(spool) })
            #expect(watcher.watchedPaths == [spool])
            #expect(await wakes(watcher) { writeFile(spool + "/segment") })
        }

        @Test func aWholeMissingTreeCreatedAtOnceIsFollowedDown() async throws {
            try await withTemporarySpool { tmp in try await missingTree(DirectoryWatcher.normalize(tmp.path)) }
        }

        private func missingTree(_ base: String) async throws {
            let spool = base + "/a/b/spool"
            let watcher = DirectoryWatcher(paths: [spool])
            #expect(
                try await wakes(watcher) {
                    try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
                })
            #expect(watcher.watchedPaths == [spool])
            #expect(await wakes(watcher) { writeFile(spool + "/segment") })
        }

        @Test func aMissingSpoolDoesNotStopTheOthersFromBeingWatched() async throws {
            try await withTemporarySpool { tmp in try await mixed(DirectoryWatcher.normalize(tmp.path)) }
        }

        private func mixed(_ base: String) async throws {
            try makeDirectory(base + "/present")
            let watcher = DirectoryWatcher(paths: [base + "/missing", base + "/present"])
            #expect(watcher.usesInotify)
            #expect(watcher.watchedPaths == [base, base + "/present"])
            #expect(await wakes(watcher) { writeFile(base + "/present/segment") })
        }

        /// A spool directory deleted (or moved away) and made again is watched again; the old one no longer wakes.
        @Test(arguments: ["delete", "move away"])
        func aSpoolDirectoryThatGoesAwayAndComesBackIsWatchedAgain(how: String) async throws {
            try await withTemporarySpool { tmp in try await recreated(DirectoryWatcher.normalize(tmp.path), how: how) }
        }

        private func recreated(_ base: String, how: String) async throws {
            let spool = base + "/spool"
            try makeDirectory(spool)
            let watcher = DirectoryWatcher(paths: [spool])
            #expect(watcher.watchedPaths == [spool])
            if how == "delete" {
                try FileManager.default.removeItem(atPath: spool)
            } else {
                try FileManager.default.moveItem(atPath: spool, toPath: base + "/old")
            }
            // The spool going away is a change (the loop's pass then finds nothing); its parent stands in for it.
            #expect(watcher.processEvents())
            #expect(watcher.watchedPaths == [base])
            if how == "move away" {
                writeFile(base + "/old/segment")
                #expect(!watcher.processEvents())
            }
            #expect(try await wakes(watcher) { try makeDirectory(spool) })
            #expect(watcher.watchedPaths == [spool])
            #expect(await wakes(watcher) { writeFile(spool + "/segment") })
        }
    #endif

    @Test func pathsAreNormalizedAndTheirAncestryEndsAtTheRootOrTheWorkingDirectory() {
        #expect(DirectoryWatcher.normalize("/var//spool/./app/") == "/var/spool/app")
        #expect(DirectoryWatcher.normalize("./spool") == "spool")
        #expect(DirectoryWatcher.normalize("/") == "/")
        #expect(DirectoryWatcher.ancestry(of: "/var/spool") == ["/var/spool", "/var", "/"])
        #expect(DirectoryWatcher.ancestry(of: "a/b") == ["a/b", "a", "."])
        #expect(DirectoryWatcher.ancestry(of: "../x") == ["../x", ".."])
    }
}

@Suite struct FollowMissingSpoolTests {
    #if os(Linux)
        /// A sidecar started before its app: the spool directory does not exist yet. With a latency of ten minutes
        /// (the test's time limit is one), only the watch added when the directory appears can get the spans
        /// delivered.
        @Test(.timeLimit(.minutes(1))) func followModeStartedBeforeTheSpoolExistsDeliversAsSoonAsItAppears()
            async throws
        {
            try await withTemporarySpool { tmp in
                let spool = tmp.path + "/app/spool"
                let server = try await TestHTTPServer.start { _, _ in .ok }
                let logs = CapturedLogs()
                var configuration = SpoolUploader.Configuration(
                    spoolDirectories: [spool], destination: .otlpHTTP(.init(tracesEndpoint: server.url + "/v1/traces")))
                configuration.follow.maxLatency = .seconds(600)
                let uploader = try SpoolUploader(configuration: configuration, logger: logs.logger())
                let group = ServiceGroup(services: [uploader], logger: quietLogger())
                let running = Task { try await group.run() }
                await logs.waitFor("spool directory does not exist yet")
                try TestSpans.write(0..<300, to: spool)
                let summary = try await shutDownAfterDelivery(
                    of: 300, server: server, logs: logs, group: group, running: running)
                await server.stop()
                #expect(summary["spans_sent"] == "300")
                #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<300))
                #expect(try SpoolDirectory(path: spool).segments().isEmpty)
                let following = logs.entries.first { $0.message == "following spools" }
                #expect(following?.metadata["inotify"] == "true")
                #expect(logs.entries.contains { $0.message == "spool directory appeared" })
            }
        }
    #endif

    @Test func aMissingSpoolIsLoggedOnceUntilItAppears() async throws {
        try await withTemporarySpool { tmp in
            let spool = tmp.path + "/spool"
            let logs = CapturedLogs()
            let metrics = UploadMetrics()
            let sink = try SQLiteSink(path: tmp.path + "/s.sqlite", logger: quietLogger(), metrics: metrics)
            let drainer = SpoolDrainer(
                configuration: SpoolUploader.Configuration(spoolDirectories: [spool], destination: .sqlite(path: "")),
                sink: sink, metrics: metrics, logger: logs.logger())
            func count(_ message: String) -> Int { logs.entries.filter { $0.message == message }.count }
            for _ in 0..<3 { #expect(await drainer.pass().allDelivered) }
            #expect(count("spool directory does not exist yet") == 1)
            _ = try SpoolDirectory(path: spool)
            _ = await drainer.pass()
            _ = await drainer.pass()
            #expect(count("spool directory appeared") == 1)
            try FileManager.default.removeItem(atPath: spool)
            _ = await drainer.pass()
            #expect(count("spool directory does not exist yet") == 2)
            await sink.shutdown()
        }
    }
}
