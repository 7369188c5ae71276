import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump

/// The dump tool only reads: it inspects any user's spool (as root), says whose files they are, and points out the
/// segments the uploader refuses because they do not belong to the spool's owner.
@Suite(.enabled(if: OtherUser.testsEnabled, "needs root to make files of another user"))
struct ForeignOwnerTests {
    @Test func rootInspectsAnotherUsersSpoolAndSeesWhoseFilesTheyAre() throws {
        let user = try #require(OtherUser.make(), "CI=true but the test user cannot be made (needs root)")
        try withTemporarySpool { spool in
            let owned = try Fixture.writeStandard(spool)
            let planted = try Fixture.segment(created: Fixture.t0 + 1).write(
                into: spool.path, baseName: "00000000000000000002-testhost-42-00000002")
            // The spool and its first segment are the user's; the second stays root's: a foreign file in it.
            #expect(chown(spool.path, user.uid, user.gid) == 0 && chown(owned, user.uid, user.gid) == 0)
            let ls = try DumpBinary.run(["ls", spool.path])
            #expect(ls.status == 0, "\(ls.stderr)")
            let lines = ls.stdout.split(separator: "\n")
            #expect(lines.first?.hasSuffix("OWNER") == true, "\(ls.stdout)")
            #expect(lines.contains { $0.contains(Fixture.standardName) && $0.hasSuffix(OtherUser.name) })
            #expect(lines.contains { $0.contains(FileSystemPath.name(planted)) && $0.hasSuffix("root (foreign)") })
            #expect(ls.stdout.contains("tracespool-upload refuses to ship"))
            #expect(ls.stderr.contains("owned by root, not by the spool directory's owner (\(OtherUser.name))"))
            let spans = try DumpBinary.run(["spans", spool.path])
            #expect(spans.status == 0, "\(spans.stderr)")
            #expect(spans.stdout.contains("chat") && spans.stdout.contains("search"))
            let json = try DumpBinary.run(["ls", "--json", spool.path])
            #expect(json.stdout.contains("\"ownerUid\":\(user.uid)") && json.stdout.contains("\"foreignOwner\":true"))
        }
    }
}

/// Path helpers.
enum FileSystemPath {
    /// The last component of `path`.
    static func name(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }
}
