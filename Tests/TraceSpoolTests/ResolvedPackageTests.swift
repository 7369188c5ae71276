import Testing

@testable import TraceSpool

extension TracerTests {
    @Suite("Package.resolved versions 1, 2 and 3 to identity@version pins")
    struct ResolvedPackageTests {
        static let version1 = """
            {
              "object": {
                "pins": [
                  {
                    "package": "swift-log",
                    "repositoryURL": "https://github.com/apple/swift-log.git",
                    "state": { "branch": null, "revision": "aaaa", "version": "1.5.3" }
                  },
                  {
                    "package": "Fork",
                    "repositoryURL": "git@example.com:team/My-Fork.git",
                    "state": { "branch": "main", "revision": "bbbb", "version": null }
                  }
                ]
              },
              "version": 1
            }
            """

        static let version2 = """
            {
              "pins" : [
                {
                  "identity" : "swift-nio",
                  "kind" : "remoteSourceControl",
                  "location" : "https://github.com/apple/swift-nio.git",
                  "state" : { "revision" : "cccc", "version" : "2.65.0" }
                },
                {
                  "identity" : "pinned",
                  "kind" : "remoteSourceControl",
                  "location" : "https://example.com/pinned.git",
                  "state" : { "revision" : "dddd" }
                }
              ],
              "version" : 2
            }
            """

        static let version3 = """
            {
              "originHash" : "91f2",
              "pins" : [
                {
                  "identity" : "swift-log",
                  "kind" : "remoteSourceControl",
                  "location" : "https://github.com/apple/swift-log.git",
                  "state" : { "revision" : "eeee", "version" : "1.6.2" }
                }
              ],
              "version" : 3
            }
            """

        static func pins(_ text: String) throws -> [String] {
            try ResolvedPackage.parse(packageResolved: Array(text.utf8)).map(\.pinDescription)
        }

        @Test("version 1: identity from the repository URL; branch pins keep branch and revision")
        func version1() throws {
            #expect(try Self.pins(Self.version1) == ["my-fork@branch:main:bbbb", "swift-log@1.5.3"])
        }

        @Test("versions 2 and 3: identity and version; a revision-only pin")
        func versions2And3() throws {
            #expect(try Self.pins(Self.version2) == ["pinned@revision:dddd", "swift-nio@2.65.0"])
            #expect(try Self.pins(Self.version3) == ["swift-log@1.6.2"])
            let parsed = try ResolvedPackage.parse(packageResolved: Array(Self.version3.utf8))
            #expect(
                parsed == [
                    ResolvedPackage(
                        identity: "swift-log", location: "https://github.com/apple/swift-log.git", version: "1.6.2",
                        revision: "eeee")
                ])
        }

        @Test("not JSON, an unknown version, no pins, a pin without identity: typed errors")
        func malformed() {
            #expect(throws: ResolvedPackagesError.self) { try Self.pins("{ nope") }
            #expect(throws: ResolvedPackagesError.unknownFormatVersion("9")) { try Self.pins(#"{"version": 9}"#) }
            #expect(throws: ResolvedPackagesError.unknownFormatVersion("none")) { try Self.pins("[]") }
            #expect(throws: ResolvedPackagesError.missingPins) { try Self.pins(#"{"version": 2}"#) }
            #expect(throws: ResolvedPackagesError.pinWithoutIdentity) {
                try Self.pins(#"{"version": 2, "pins": [{"state": {}}]}"#)
            }
            for length in 0..<Self.version2.utf8.count {
                _ = try? ResolvedPackage.parse(packageResolved: Array(Self.version2.utf8.prefix(length)))
            }
        }
    }
}
