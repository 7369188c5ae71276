import Foundation
import SpoolFormat
import Testing

@testable import TraceSpoolUpload

/// Makes one directory (its parent must exist).
private func makeDirectory(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
}

/// Creates a small file.
private func writeFile(_ path: String) {
    #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
}

/// Whether a wait far longer than any test step, started before `change`, is woken by a change (not its timeout).
private func wakes(_ watcher: DirectoryWatcher, when change: () throws -> Void) async rethrows -> Bool {
    let wait = Task { await watcher.wait(timeoutMillis: 10_000) { false } }
    try change()
    return await wait.value
}

@Suite struct DirectoryWatcherTests {
    @Test func withoutInotifyItPollsUntilTheTimeout() async {
        let tmp = TempDirectory("watch-poll")
        defer { tmp.cleanup() }
        let watcher = DirectoryWatcher(paths: [tmp.path], useInotify: false)
        #expect(!watcher.usesInotify)
        #expect(watcher.watchedPaths.isEmpty)
        #expect(await !watcher.wait(timeoutMillis: 40) { false })
    }

    #if os(Linux)
        @Test func aMissingSpoolIsWatchedFromItsNearestAncestorUntilItAppears() async throws {
            let tmp = TempDirectory("watch-missing")
            defer { tmp.cleanup() }
            let base = DirectoryWatcher.normalize(tmp.path)
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
            let tmp = TempDirectory("watch-tree")
            defer { tmp.cleanup() }
            let spool = DirectoryWatcher.normalize(tmp.path) + "/a/b/spool"
            let watcher = DirectoryWatcher(paths: [spool])
            #expect(
                try await wakes(watcher) {
                    try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
                })
            #expect(watcher.watchedPaths == [spool])
            #expect(await wakes(watcher) { writeFile(spool + "/segment") })
        }

        @Test func aMissingSpoolDoesNotStopTheOthersFromBeingWatched() async throws {
            let tmp = TempDirectory("watch-mixed")
            defer { tmp.cleanup() }
            let base = DirectoryWatcher.normalize(tmp.path)
            try makeDirectory(base + "/present")
            let watcher = DirectoryWatcher(paths: [base + "/missing", base + "/present"])
            #expect(watcher.usesInotify)
            #expect(watcher.watchedPaths == [base, base + "/present"])
            #expect(await wakes(watcher) { writeFile(base + "/present/segment") })
        }

        /// A spool directory deleted (or moved away) and made again is watched again; the old one no longer wakes.
        @Test(arguments: ["delete", "move away"])
        func aSpoolDirectoryThatGoesAwayAndComesBackIsWatchedAgain(how: String) async throws {
            let tmp = TempDirectory("watch-recreate")
            defer { tmp.cleanup() }
            let base = DirectoryWatcher.normalize(tmp.path)
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
        /// A sidecar started before its app: the spool directory does not exist yet. With a latency far longer than the
        /// test's deadline, only the watch added when the directory appears can get the spans delivered in time.
        @Test func followModeStartedBeforeTheSpoolExistsDeliversAsSoonAsItAppears() async throws {
            let tmp = TempDirectory("follow-missing")
            defer { tmp.cleanup() }
            let spool = tmp.path + "/app/spool"
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let logs = CapturedLogs()
            let metrics = UploadMetrics()
            let sink = OTLPHTTPSink(
                configuration: OTLPHTTPConfiguration(tracesURL: server.url + "/v1/traces"), retryPolicy: RetryPolicy(),
                metrics: metrics, logger: quietLogger())
            let uploader = Uploader(
                configuration: UploaderConfiguration(spoolPaths: [spool], maxLatencyMillis: 600_000),
                sink: sink, metrics: metrics, logger: logs.logger())
            let follower = Task { await uploader.follow() }
            let deadline = ContinuousClock.now + .seconds(60)
            while !logs.entries.contains(where: { $0.message == "spool directory does not exist yet" }),
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(10))
            }
            try TestSpans.write(0..<300, to: spool)
            while try server.deliveredSpans().count < 300 || !SpoolDirectory(path: spool).segments().isEmpty,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(20))
            }
            uploader.requestStop()
            let summary = await follower.value
            await sink.shutdown()
            await server.stop()
            #expect(summary.report.delivered == 300)
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<300))
            let following = logs.entries.first { $0.message == "following spools" }
            #expect(following?.metadata["inotify"] == "true")
            #expect(logs.entries.contains { $0.message == "spool directory appeared" })
        }
    #endif

    @Test func aMissingSpoolIsLoggedOnceUntilItAppears() async throws {
        let tmp = TempDirectory("missing-log")
        defer { tmp.cleanup() }
        let logs = CapturedLogs()
        let metrics = UploadMetrics()
        let sink = try SQLiteSink(path: tmp.path + "/s.sqlite", logger: quietLogger(), metrics: metrics)
        let uploader = Uploader(
            configuration: UploaderConfiguration(spoolPaths: [tmp.spool]), sink: sink, metrics: metrics,
            logger: logs.logger())
        func count(_ message: String) -> Int { logs.entries.filter { $0.message == message }.count }
        for _ in 0..<3 { #expect(await uploader.pass().allDelivered) }
        #expect(count("spool directory does not exist yet") == 1)
        _ = try SpoolDirectory(path: tmp.spool)
        _ = await uploader.pass()
        _ = await uploader.pass()
        #expect(count("spool directory appeared") == 1)
        try FileManager.default.removeItem(atPath: tmp.spool)
        _ = await uploader.pass()
        #expect(count("spool directory does not exist yet") == 2)
        await sink.shutdown()
    }
}
