import Foundation
import SpoolBase
import SpoolTestSupport
import Testing

@testable import TraceSpool

extension TracerTests {
    @Suite("Git working tree read without git: HEAD, refs, worktrees, index versions, dirty state")
    struct GitWorkingTreeTests {
        /// The changed paths this module finds, sorted, for comparison with `git status --porcelain`.
        static func changes(_ path: String) throws -> [String] {
            try GitWorkingTree.locate(from: path).changedPaths().sorted()
        }

        @Test("a clean repository: HEAD's commit and branch as git rev-parse says, no changes, origin URL")
        func clean() throws {
            let repo = try GitRepositoryFixture()
            defer { repo.remove() }
            try repo.git("remote", "add", "origin", "https://example.com/team/app.git")
            let tree = try GitWorkingTree.locate(from: repo.root + "/Sources/App")
            #expect(tree.root == GitWorkingTree.realPath(repo.root))
            let head = try tree.head()
            #expect(head.revision == (try repo.head()))
            #expect(head.branch == "main")
            #expect(head.isLocalBranch)
            #expect(tree.originURL() == "https://example.com/team/app.git")
            #expect(try Self.changes(repo.root) == [])
            #expect(try repo.porcelainChanges() == [])
        }

        @Test("modified (same and other size), deleted, chmod +x and conflicted-free touch: as git status says")
        func modifiedAndDeleted() throws {
            let repo = try GitRepositoryFixture(files: [
                "a.txt": "one\n", "b.txt": "two\n", "c.txt": "three\n", "d.sh": "echo\n", "e.txt": "same\n",
            ])
            defer { repo.remove() }
            try repo.write("a.txt", "ONE\n")  // same size, other content
            try repo.write("b.txt", "two and more\n")
            try FileManager.default.removeItem(atPath: repo.root + "/c.txt")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.root + "/d.sh")
            // Only the time changes: git hashes the content and finds it unchanged; so must the detection.
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: repo.root + "/e.txt")
            try repo.write("untracked.txt", "not counted\n")
            let found = try Self.changes(repo.root)
            #expect(found == ["a.txt", "b.txt", "c.txt", "d.sh"])
            #expect(found == (try repo.porcelainChanges()))
        }

        @Test("a detached HEAD: the commit, no branch")
        func detached() throws {
            let repo = try GitRepositoryFixture()
            defer { repo.remove() }
            let first = try repo.head()
            try repo.write("README.md", "second\n")
            try repo.git("commit", "-q", "-am", "second")
            try repo.git("checkout", "-q", "--detach", first)
            let head = try GitWorkingTree.locate(from: repo.root).head()
            #expect(head.revision == first)
            #expect(head.branch == nil)
            #expect(try Self.changes(repo.root) == (try repo.porcelainChanges()))
        }

        @Test("refs packed by git pack-refs --all (no loose ref file) still resolve; a loose ref wins over packed")
        func packedRefs() throws {
            let repo = try GitRepositoryFixture()
            defer { repo.remove() }
            try repo.git("pack-refs", "--all")
            #expect(!FileManager.default.fileExists(atPath: repo.root + "/.git/refs/heads/main"))
            #expect(try GitWorkingTree.locate(from: repo.root).head().revision == (try repo.head()))
            try repo.write("README.md", "second\n")
            try repo.git("commit", "-q", "-am", "second")  // writes a loose ref newer than the packed one
            #expect(try GitWorkingTree.locate(from: repo.root).head().revision == (try repo.head()))
        }

        @Test("a linked worktree (.git file with gitdir:): its own HEAD, branch and index, shared refs and config")
        func linkedWorktree() throws {
            let repo = try GitRepositoryFixture()
            defer { repo.remove() }
            try repo.git("remote", "add", "origin", "git@example.com:team/app.git")
            let worktree = repo.base + "/feature"
            try repo.git("worktree", "add", "-q", "-b", "feature", worktree)
            try repo.write("README.md", "feature work\n", in: worktree)
            try repo.git("commit", "-q", "-am", "feature", in: worktree)
            try repo.write("Sources/App/main.swift", "print(2)\n", in: worktree)
            let tree = try GitWorkingTree.locate(from: worktree)
            #expect(tree.gitDirectory != worktree + "/.git")
            #expect(tree.commonDirectory == GitWorkingTree.realPath(repo.root + "/.git"))
            let head = try tree.head()
            #expect(head.revision == (try repo.head(in: worktree)))
            #expect(head.revision != (try repo.head()))
            #expect(head.branch == "feature")
            #expect(tree.originURL() == "git@example.com:team/app.git")
            #expect(try Self.changes(worktree) == ["Sources/App/main.swift"])
            #expect(try Self.changes(worktree) == (try repo.porcelainChanges(in: worktree)))
            #expect(try Self.changes(repo.root) == [])
        }

        @Test("index versions 3 (git add -N) and 4 (prefix-compressed paths) parse and compare like git status")
        func indexVersions() throws {
            var files: [String: String] = [:]
            for i in 0..<12 { files["Sources/Module\(i % 3)/File\(i).swift"] = "let x = \(i)\n" }
            let repo = try GitRepositoryFixture(files: files)
            defer { repo.remove() }
            try repo.write("Sources/New.swift", "new\n")
            try repo.git("add", "-N", "Sources/New.swift")  // intent-to-add: an extended flag, index version 3
            var index = try GitWorkingTreeIndex(parsing: FileSystem.readFile(repo.root + "/.git/index"))
            #expect(index.version == 3)
            #expect(index.entries.contains { $0.path == "Sources/New.swift" && $0.isIntentToAdd })
            try repo.git("update-index", "--index-version", "4")
            index = try GitWorkingTreeIndex(parsing: FileSystem.readFile(repo.root + "/.git/index"))
            #expect(index.version == 4)
            #expect(index.entries.map(\.path).sorted() == (files.keys + ["Sources/New.swift"]).sorted())
            try repo.write("Sources/Module1/File4.swift", "let x = 44\n")
            try FileManager.default.removeItem(atPath: repo.root + "/Sources/Module2/File11.swift")
            let found = try Self.changes(repo.root)
            #expect(found == ["Sources/Module1/File4.swift", "Sources/Module2/File11.swift", "Sources/New.swift"])
            #expect(found == (try repo.porcelainChanges()))
        }

        @Test("a garbage or truncated index, a missing .git, a bad .git file throw typed errors and never trap")
        func malformed() throws {
            let repo = try GitRepositoryFixture()
            defer { repo.remove() }
            let bytes = try FileSystem.readFile(repo.root + "/.git/index")
            let entries = try GitWorkingTreeIndex(parsing: bytes).entries.count
            #expect(entries == 2)
            // Every prefix that cuts into the entries throws; none traps.
            for length in 0..<bytes.count {
                let parsed = try? GitWorkingTreeIndex(parsing: Array(bytes.prefix(length)))
                if let parsed { #expect(parsed.entries.count == entries, "prefix \(length)") }
            }
            var random = SplitMix64(seed: 18)
            for _ in 0..<2000 {
                var garbled = bytes
                for _ in 0..<4 { garbled[Int(random.next() % UInt64(garbled.count))] = UInt8(random.next() & 0xFF) }
                _ = try? GitWorkingTreeIndex(parsing: garbled)
            }
            #expect(throws: GitWorkingTreeError.malformed("index", "no DIRC signature")) {
                try GitWorkingTreeIndex(parsing: Array("not an index at all".utf8))
            }
            try Data("garbage".utf8).write(to: URL(fileURLWithPath: repo.root + "/.git/index"))
            #expect(throws: GitWorkingTreeError.self) { try GitWorkingTree.locate(from: repo.root).changedPaths() }

            let plain = repo.base + "/plain"
            try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
            try Data("no gitdir here".utf8).write(to: URL(fileURLWithPath: plain + "/.git"))
            #expect(throws: GitWorkingTreeError.self) { try GitWorkingTree.locate(from: plain) }
            #expect(throws: GitWorkingTreeError.notARepository("/nonexistent/for/sure")) {
                try GitWorkingTree.locate(from: "/nonexistent/for/sure")
            }
        }

        @Test("git's blob id of known contents")
        func blobID() {
            var empty = GitWorkingTreeBlobHash(blobSize: 0)
            #expect(Hex.string(of: empty.finish()) == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
            let text = Array("hello\n".utf8)
            var hello = GitWorkingTreeBlobHash(blobSize: text.count)
            hello.update(text)
            #expect(Hex.string(of: hello.finish()) == "ce013625030ba8dba906f756967f9e9ca394464a")
            let long = [UInt8](repeating: 0x61, count: 1000)
            var many = GitWorkingTreeBlobHash(blobSize: long.count)
            many.update(long)
            #expect(Hex.string(of: many.finish()) == "a50be72b20f0e3f078d252e8e56b11b4bec67509")
        }
    }
}
