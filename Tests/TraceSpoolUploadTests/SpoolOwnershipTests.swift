import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolTesting

/// Who may put segments where the uploader ships them from: writable-by-others spool directories, segments of other
/// users and files named like segments that do not parse (`Spool/FORMAT.md`, "Permissions and ownership").
@Suite struct SpoolOwnershipTests {
    /// No endpoint from the test process's environment: the uploader writes to `--sqlite`.
    static let noEndpoint = ["OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ""]

    /// The `tracespool-demo` executable built beside the test binary.
    static var demoBinary: String {
        URL(fileURLWithPath: ChildProcess.testBinary).deletingLastPathComponent().appendingPathComponent(
            "tracespool-demo"
        ).path
    }

    /// Runs `tracespool-upload --once --no-progress` on `spool` into the store `store`, as this process's user.
    static func upload(_ spool: String, store: String, _ extra: [String] = []) -> OtherUser.Outcome {
        OtherUser.runTool(
            ChildProcess.uploaderBinary, [spool, "--once", "--no-progress", "--sqlite", store] + extra,
            environment: noEndpoint)
    }

    /// The rows of the store at `path`.
    static func rows(_ path: String) throws -> Int {
        let value = try TestDatabase.query(path, "SELECT count(*) FROM spans").first?.first ?? nil
        return value.flatMap { Int($0) } ?? -1
    }

    /// The permission bits of `path`.
    static func mode(_ path: String) -> UInt32 {
        var st = stat()
        return lstat(path, &st) == 0 ? UInt32(st.st_mode) & 0o7777 : 0
    }

    @Test func aFileNamedLikeASegmentWhoseNameDoesNotParseIsRefusedLeftInPlaceAndCounted() throws {
        try withTemporarySpool { work in
            let spool = work.path + "/spool"
            let written = try TestSpans.write(0..<50, to: spool)
            let bogus = spool + "/planted.seg"
            try FileManager.default.copyItem(atPath: written[0], toPath: bogus)
            let store = work.path + "/store.sqlite"
            let outcome = Self.upload(spool, store: store)
            #expect(outcome.status == 3, "a refused file is not a complete delivery: \(outcome.stderr)")
            #expect(outcome.stderr.contains("segment file refused") && outcome.stderr.contains("planted.seg"))
            #expect(outcome.stderr.contains("segments_refused=1"), "\(outcome.stderr)")
            #expect(FileManager.default.fileExists(atPath: bogus), "left in place")
            #expect(try Self.rows(store) == 50)
        }
    }

    @Test func aSpoolWritableByOthersIsRefusedUnlessItsGroupIsTheConfiguredSharedGroup() throws {
        try withTemporarySpool { work in
            let spool = work.path + "/spool"
            try TestSpans.write(0..<20, to: spool)
            let store = work.path + "/store.sqlite"
            #expect(chmod(spool, 0o770) == 0)
            let refused = Self.upload(spool, store: store)
            #expect(refused.status == 3, "\(refused.stderr)")
            #expect(refused.stderr.contains("has mode 770"), "\(refused.stderr)")
            #expect(try SpoolDirectory(path: spool, access: .inspect).segments().count == 1, "nothing shipped")
            var st = stat()
            #expect(stat(spool, &st) == 0)
            let group = "\(st.st_gid)"
            #expect(chmod(spool, 0o777) == 0)
            let stillRefused = Self.upload(spool, store: store, ["--spool-group", group])
            #expect(stillRefused.status == 3, "write for others is never allowed: \(stillRefused.stderr)")
            #expect(chmod(spool, 0o2770) == 0)
            let shipped = Self.upload(spool, store: store, ["--spool-group", group])
            #expect(shipped.status == 0, "\(shipped.stderr)")
            #expect(try Self.rows(store) == 20)
            #expect(try SpoolDirectory(path: spool, access: .inspect).segments().isEmpty)
            let unknown = Self.upload(spool, store: store, ["--spool-group", "no-such-group-here"])
            #expect(unknown.status == 1 && unknown.stderr.contains("no such group"), "\(unknown.stderr)")
        }
    }

    @Test func theTracerTightensASpoolDirectoryOfItsOwnThatOthersMayWrite() throws {
        try withTemporarySpool { work in
            let spool = work.path + "/spool"
            #expect(mkdir(spool, 0o700) == 0 && chmod(spool, 0o777) == 0)
            let outcome = OtherUser.runTool(Self.demoBinary, ["--spool", spool, "--spans", "3"])
            #expect(outcome.status == 0, "\(outcome.stdout) \(outcome.stderr)")
            #expect(Self.mode(spool) == 0o755, "group and other write removed")
            let contents = try SpoolContents(reading: spool)
            #expect(contents.spans.count > 0, "spans recorded once tightened")
            let fresh = work.path + "/fresh"
            #expect(OtherUser.runTool(Self.demoBinary, ["--spool", fresh, "--spans", "1"]).status == 0)
            #expect(Self.mode(fresh) == 0o700)
        }
    }

    /// Tests with a second real user, or that need root to stage the fault.
    @Suite(.enabled(if: OtherUser.testsEnabled, "needs root to run processes as another user"))
    struct AnotherUser {
        @Test func aTracerThatCannotTightenItsSpoolRecordsNothingThereAndLogsOnce() throws {
            _ = try #require(OtherUser.make(), "CI=true but this test needs root")
            try withTemporarySpool { work in
                let spool = work.path + "/spool"
                #expect(mkdir(spool, 0o700) == 0 && chmod(spool, 0o777) == 0)
                // An immutable directory: not even root may change its mode.
                let chattr = OtherUser.runTool("/usr/bin/chattr", ["+i", spool])
                try #require(chattr.status == 0, "chattr +i: \(chattr.stderr)")
                defer { OtherUser.runTool("/usr/bin/chattr", ["-i", spool]) }
                let outcome = OtherUser.runTool(
                    SpoolOwnershipTests.demoBinary, ["--spool", spool, "--spans", "5", "--flush-timeout-ms", "2000"])
                #expect(outcome.status == 3 && outcome.stdout.contains("flushed=false"), "\(outcome.stdout)")
                let warnings = outcome.stderr.split(separator: "\n").filter { $0.contains("I/O problem") }
                #expect(warnings.count == 1, "\(outcome.stderr)")
                #expect(outcome.stderr.contains("has mode 777: other users may write it"), "\(outcome.stderr)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: spool).isEmpty)
            }
        }

        @Test func aSegmentPlantedByAnotherUserIsNeitherShippedNorDeletedButCountedAndLogged() throws {
            let user = try #require(OtherUser.make(), "CI=true but the test user cannot be made (needs root)")
            try withTemporarySpool { work in
                #expect(chmod(work.path, 0o755) == 0)
                let spool = work.path + "/spool"
                try TestSpans.write(0..<50, to: spool)
                let foreign = try TestSpans.write(100..<130, to: work.path + "/other")
                #expect(chmod(work.path + "/other", 0o755) == 0 && chmod(foreign[0], 0o644) == 0)
                // The planter needs a moment of write access (a spool directory someone loosened).
                let planted = spool + "/" + FileSystemName.renamed(foreign[0])
                #expect(chmod(spool, 0o777) == 0)
                #expect(user.shell("cp '\(foreign[0])' '\(planted)'").status == 0)
                #expect(chmod(spool, 0o700) == 0)
                let store = work.path + "/store.sqlite"
                let outcome = SpoolOwnershipTests.upload(spool, store: store)
                #expect(outcome.status == 3, "\(outcome.stderr)")
                #expect(outcome.stderr.contains("segment file refused"), "\(outcome.stderr)")
                #expect(outcome.stderr.contains("owned by uid \(user.uid)"), "\(outcome.stderr)")
                #expect(outcome.stderr.contains("segments_refused=1"), "\(outcome.stderr)")
                #expect(FileManager.default.fileExists(atPath: planted), "left in place")
                #expect(try SpoolOwnershipTests.rows(store) == 50, "only the owner's spans")
            }
        }

        @Test func aSidecarUnderAnotherUidShipsASharedGroupSpoolOnlyWhenConfigured() throws {
            let user = try #require(OtherUser.make(), "CI=true but the test user cannot be made (needs root)")
            try withTemporarySpool { work in
                #expect(chmod(work.path, 0o755) == 0)
                let spool = work.path + "/shared"
                let writer = OtherUser.runTool(
                    SpoolOwnershipTests.demoBinary, ["--spool", spool, "--spans", "4"],
                    environment: ["TRACESPOOL_SPOOL_GROUP": OtherUser.name])
                #expect(writer.status == 0, "\(writer.stderr)")
                var st = stat()
                #expect(lstat(spool, &st) == 0 && st.st_gid == user.gid)
                #expect(SpoolOwnershipTests.mode(spool) == 0o2770)
                let segments = try SpoolDirectory(path: spool, access: .inspect).segments()
                #expect(!segments.isEmpty && segments.allSatisfy { SpoolOwnershipTests.mode($0.path) == 0o640 })
                let home = work.path + "/sidecar"
                #expect(mkdir(home, 0o700) == 0 && chown(home, user.uid, user.gid) == 0)
                let store = home + "/store.sqlite"
                let arguments = [spool, "--once", "--no-progress", "--sqlite", store]
                let unconfigured = user.run(
                    ChildProcess.uploaderBinary, arguments, environment: SpoolOwnershipTests.noEndpoint)
                #expect(unconfigured.status == 3 && unconfigured.stderr.contains("owned by uid 0"))
                #expect(try SpoolDirectory(path: spool, access: .inspect).segments().count == segments.count)
                var environment = SpoolOwnershipTests.noEndpoint
                environment["TRACESPOOL_SPOOL_GROUP"] = OtherUser.name
                let configured = user.run(ChildProcess.uploaderBinary, arguments, environment: environment)
                #expect(configured.status == 0, "\(configured.stderr)")
                #expect(try SpoolDirectory(path: spool, access: .inspect).segments().isEmpty)
                #expect(try SpoolOwnershipTests.rows(store) > 0)
            }
        }
    }
}

/// Segment names for planted files.
enum FileSystemName {
    /// The file name of the segment at `path` with another random part: a valid, different segment name.
    static func renamed(_ path: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let base = name.dropLast(".seg".count)
        return base.dropLast(8) + "0badf00d.seg"
    }
}
