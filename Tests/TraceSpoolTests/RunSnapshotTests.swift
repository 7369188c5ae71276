import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Run snapshot: executable, dependencies, git state and source files read back from the spool")
    struct RunSnapshotTests {
        static let key = "sk-proj-Zq81xWv0LmTr5uYpB2nKdE7a"

        @Test("inside trace { }: every part lands on the trace span; sources cut and redacted")
        func insideTrace() throws {
            let repo = try GitRepositoryFixture(files: ["a.txt": "one\n", "Package.resolved": ""])
            defer { repo.remove() }
            try repo.git("remote", "add", "origin", "https://example.com/app.git")
            try repo.write("Package.resolved", ResolvedPackageTests.version3)
            try repo.write("a.txt", "changed\n")
            let source = "let key = \"\(Self.key)\"\n" + String(repeating: "// padding\n", count: 20)
            try repo.write("Sources/main.swift", source)
            let options = RunSnapshotOptions(
                packageResolvedPath: repo.root + "/Package.resolved", gitWorkingTree: repo.root,
                sourceFiles: [repo.root + "/Sources/main.swift", repo.root + "/missing.swift"], maxSourceFileBytes: 60)
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.trace("run") { _ in tracer.recordRunSnapshot(options) }
                tracer.shutdown()
                let span = try #require(SpoolContents(reading: spool.path).spans(named: "run").first)
                let attributes = span.attributes
                let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
                #expect(attributes.get(AttributeNames.processExecutablePath) == .string(exe))
                let identity = ExecutableIdentity.current()
                if let id = identity.gnuBuildID {
                    #expect(attributes.get(AttributeNames.processExecutableBuildIDGNU) == .string(id))
                } else {
                    #expect(attributes.get(AttributeNames.snapshotExecutableFingerprint) != nil)
                }
                #expect(attributes.get(AttributeNames.snapshotDependencies) == .stringArray(["swift-log@1.6.2"]))
                #expect(attributes.get(AttributeNames.vcsRefHeadRevision) == .string(try repo.head()))
                #expect(attributes.get(AttributeNames.vcsRefHeadName) == "main")
                #expect(attributes.get(AttributeNames.vcsRefHeadType) == "branch")
                #expect(attributes.get(AttributeNames.vcsRepositoryURLFull) == "https://example.com/app.git")
                #expect(attributes.get(AttributeNames.snapshotGitDetached) == .bool(false))
                // Package.resolved is tracked and was rewritten; a.txt changed; Sources/ is untracked.
                let changed = try repo.porcelainChanges()
                #expect(changed == ["Package.resolved", "a.txt"])
                #expect(attributes.get(AttributeNames.snapshotGitDirty) == .bool(true))
                #expect(attributes.get(AttributeNames.snapshotGitChangedCount) == .int64(2))
                #expect(attributes.get(AttributeNames.snapshotGitChangedPaths) == .stringArray(changed))
                let prefix = AttributeNames.snapshotSource
                #expect(attributes.get("\(prefix).0.path") == .string(repo.root + "/Sources/main.swift"))
                guard case .string(let content)? = attributes.get("\(prefix).0.content") else {
                    Issue.record("no source content")
                    return
                }
                #expect(content.hasPrefix("let key = \"[REDACTED:openai-key]"))
                #expect(!content.contains("Zq81xWv0"))
                #expect(content.hasSuffix("…[truncated]") && content.utf8.count <= 60 + "…[truncated]".utf8.count)
                #expect(attributes.get("\(prefix).1.path") == .string(repo.root + "/missing.swift"))
                #expect(attributes.get("\(prefix).1.content") == nil)
                #expect(attributes.get("\(prefix).1.error") != nil)
                #expect(attributes.get(AttributeNames.snapshotGitError) == nil)
                #expect(attributes.get(AttributeNames.snapshotDependenciesError) == nil)
            }
        }

        @Test("outside any span: an event span; unreadable parts become …error attributes, nothing throws")
        func outsideSpanAndFailures() throws {
            let garbage = FileManager.default.temporaryDirectory.appendingPathComponent("resolved-\(UUID())").path
            try Data("{ not json".utf8).write(to: URL(fileURLWithPath: garbage))
            defer { try? FileManager.default.removeItem(atPath: garbage) }
            let options = RunSnapshotOptions(
                executable: false, packageResolvedPath: garbage, gitWorkingTree: "/nonexistent/\(UUID())")
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.recordRunSnapshot(options)
                tracer.shutdown()
                let span = try #require(SpoolContents(reading: spool.path).spans(named: "run snapshot").first)
                #expect(span.parentSpanID == nil)
                #expect(span.attributes.get(AttributeNames.activity) == "run_snapshot")
                #expect(span.attributes.get(AttributeNames.processExecutablePath) == nil)
                #expect(span.attributes.get(AttributeNames.snapshotDependencies) == nil)
                guard case .string(let dependencies)? = span.attributes.get(AttributeNames.snapshotDependenciesError),
                    case .string(let git)? = span.attributes.get(AttributeNames.snapshotGitError)
                else {
                    Issue.record("missing error attributes")
                    return
                }
                #expect(dependencies.hasPrefix("Package.resolved is not JSON"))
                #expect(git.hasPrefix("no git working tree at /nonexistent/"))
                #expect(span.attributes.get(AttributeNames.vcsRefHeadRevision) == nil)
            }
        }

        @Test("a listed [ResolvedPackage] wins over embedded bytes, which win over the path")
        func dependencySources() {
            let embedded = Array(ResolvedPackageTests.version2.utf8)
            let listed = [ResolvedPackage(identity: "mine", version: "0.1.0")]
            func dependencies(_ options: RunSnapshotOptions) -> [String]? {
                RunSnapshot(reading: options).dependencies
            }
            #expect(
                dependencies(
                    RunSnapshotOptions(
                        executable: false, packageResolvedPath: "/nonexistent", embeddedPackageResolved: embedded,
                        resolvedPackages: listed, gitWorkingTree: nil)) == ["mine@0.1.0"])
            #expect(
                dependencies(
                    RunSnapshotOptions(
                        executable: false, packageResolvedPath: "/nonexistent", embeddedPackageResolved: embedded,
                        gitWorkingTree: nil)) == ["pinned@revision:dddd", "swift-nio@2.65.0"])
            #expect(dependencies(RunSnapshotOptions(executable: false, gitWorkingTree: nil)) == nil)
        }

        @Test("read once per options value: a later change to the tree is not seen with equal options")
        func cachedPerOptions() throws {
            let repo = try GitRepositoryFixture()
            defer { repo.remove() }
            let options = RunSnapshotOptions(executable: false, gitWorkingTree: repo.root)
            let first = RunSnapshot.cached(options)
            #expect(first.fresh)
            #expect(first.snapshot.gitChangedPaths == [])
            try repo.write("README.md", "changed\n")
            let second = RunSnapshot.cached(options)
            #expect(!second.fresh)
            #expect(second.snapshot.gitChangedPaths == [])
            var other = options
            other.checksGitDirtyState = true
            other.maxSourceFileBytes = 1
            #expect(RunSnapshot.cached(other).snapshot.gitChangedPaths == ["README.md"])
        }

        @Test("source contents are left out when input/output capture is off for the span")
        func captureOff() throws {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("source-\(UUID())").path
            try Data("secret source".utf8).write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            let options = RunSnapshotOptions(executable: false, gitWorkingTree: nil, sourceFiles: [file])
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.trace("off", captureInputOutput: false) { $0.recordRunSnapshot(options) }
                tracer.trace("on") { $0.recordRunSnapshot(options) }
                tracer.shutdown()
                let contents = try SpoolContents(reading: spool.path)
                let key = "\(AttributeNames.snapshotSource).0.content"
                #expect(try #require(contents.spans(named: "off").first).attributes.get(key) == nil)
                #expect(try #require(contents.spans(named: "on").first).attributes.get(key) == "secret source")
            }
        }

        @Test("recordGitCommit() without sha reads the working tree's commit, branch and origin; none: no span")
        func gitCommitDetection() throws {
            let repo = try GitRepositoryFixture()
            defer { repo.remove() }
            try repo.git("remote", "add", "origin", "https://example.com/app.git")
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.trace("agent") { _ in
                    tracer.recordGitCommit(message: "fix", workingTree: repo.root)
                    tracer.recordGitCommit(branch: "given", workingTree: repo.root + "/Sources")
                    tracer.recordGitCommit(workingTree: "/nonexistent/\(UUID())")
                    tracer.recordGitCommit(sha: "0123456789abcdef")
                }
                tracer.shutdown()
                let commits = try SpoolContents(reading: spool.path).spans.filter {
                    $0.attributes.get(AttributeNames.activity) == "git_commit"
                }
                #expect(commits.count == 3)
                let sha = try repo.head()
                let detected = commits.filter { $0.attributes.get(AttributeNames.vcsRefHeadRevision) == .string(sha) }
                #expect(detected.count == 2)
                #expect(detected.map { $0.attributes.get(AttributeNames.vcsRefHeadName) }.contains("main"))
                #expect(detected.map { $0.attributes.get(AttributeNames.vcsRefHeadName) }.contains("given"))
                for span in detected {
                    #expect(span.attributes.get(AttributeNames.vcsRepositoryURLFull) == "https://example.com/app.git")
                }
                #expect(commits.contains { $0.attributes.get(AttributeNames.vcsRefHeadRevision) == "0123456789abcdef" })
            }
        }

        @Test("the Docs/Tracer.md example compiles and records")
        func documentationExample() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                // From Docs/Tracer.md, "Run snapshot".
                let snapshot = RunSnapshotOptions(
                    packageResolvedPath: "Package.resolved",  // or embeddedPackageResolved: <the embedded bytes>
                    gitWorkingTree: ".",
                    sourceFiles: ["Sources/App/Agent.swift"], maxSourceFileBytes: 16_384)
                tracer.trace("support-agent") { _ in
                    tracer.recordRunSnapshot(snapshot)
                    // ... the agent's work ...
                }
                tracer.shutdown()
                let span = try #require(SpoolContents(reading: spool.path).spans(named: "support-agent").first)
                #expect(span.attributes.get("\(AttributeNames.snapshotSource).0.path") == "Sources/App/Agent.swift")
            }
        }
    }
}
