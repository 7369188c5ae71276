import Foundation
import SpoolTestSupport
import Testing

@testable import TraceSpoolStore

/// A store is private to the user who writes it: files 0600 (companions too), never opened through a symbolic link,
/// never written when another user made one of its files, and by default in a 0700 directory of the user's own.
@Suite struct StorePermissionTests {
    /// The modes of a store's files that exist, by suffix ("" for the database file).
    static func modes(_ path: String) -> [String: UInt32] {
        var result: [String: UInt32] = [:]
        for suffix in [""] + SpanStore.companionSuffixes {
            var st = stat()
            if lstat(path + suffix, &st) == 0 { result[suffix] = UInt32(st.st_mode) & 0o7777 }
        }
        return result
    }

    /// The directory of the file `path`.
    static func directory(of path: String) -> String {
        String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
    }

    /// Writes one span, so that the write-ahead log and its index exist.
    static func writeOneSpan(_ store: SpanStore) throws {
        try SpanStoreTests.store([SpanStoreTests.linkedSpan()], in: store)
    }

    @Test func aNewStoreAndItsCompanionsAre0600WhateverTheUmask() throws {
        let work = TemporaryDirectory()
        let path = work.file("traces.sqlite")
        let previous = umask(0o022)
        defer { umask(previous) }
        let store = try SpanStore(path: path)
        try Self.writeOneSpan(store)
        let modes = Self.modes(path)
        #expect(modes[""] == 0o600 && modes["-wal"] == 0o600 && modes["-shm"] == 0o600, "\(modes)")
    }

    @Test func anExistingStoreOfOursOpenToOthersIsTightened() throws {
        let work = TemporaryDirectory()
        let path = work.file("traces.sqlite")
        _ = try SpanStore(path: path)
        chmod(path, 0o644)
        _ = FileManager.default.createFile(atPath: path + "-wal", contents: nil, attributes: [.posixPermissions: 0o666])
        let store = try SpanStore(path: path)
        try Self.writeOneSpan(store)
        let modes = Self.modes(path)
        #expect(modes[""] == 0o600 && modes["-wal"] == 0o600, "\(modes)")
    }

    @Test func aSymbolicLinkIsNeverFollowed() throws {
        let work = TemporaryDirectory()
        let target = work.file("elsewhere.sqlite")
        let link = work.file("traces.sqlite")
        #expect(symlink(target, link) == 0)
        #expect(throws: StoreError.symbolicLink(path: link)) { try SpanStore(path: link) }
        #expect(!FileManager.default.fileExists(atPath: target), "nothing is created through the link")
        let store = work.file("real.sqlite")
        let walTarget = work.file("wal-target")
        #expect(symlink(walTarget, store + "-wal") == 0)
        #expect(throws: StoreError.symbolicLink(path: store + "-wal")) { try SpanStore(path: store) }
        #expect(!FileManager.default.fileExists(atPath: walTarget))
        #expect(!FileManager.default.fileExists(atPath: store), "a bad companion stops the store before its creation")
    }

    @Test func theDefaultStoreDirectoryIsCreated0700AndRefusedWhenNotPrivate() throws {
        let work = TemporaryDirectory()
        let spool = work.file("spool")
        let path = SpanStore.defaultPath(forSpool: spool)
        let directory = Self.directory(of: path)
        _ = try SpanStore(path: path)
        var st = stat()
        #expect(lstat(directory, &st) == 0 && st.st_mode & 0o7777 == 0o700 && st.st_uid == geteuid())
        #expect(Self.modes(path)[""] == 0o600)
        chmod(directory, 0o755)
        #expect(throws: StoreError.directoryNotPrivate(path: directory, permissions: 0o755)) {
            try SpanStore(path: path)
        }
        try FileManager.default.removeItem(atPath: directory)
        let elsewhere = work.file("elsewhere")
        #expect(mkdir(elsewhere, 0o700) == 0)
        #expect(symlink(elsewhere, directory) == 0)
        #expect(throws: StoreError.symbolicLink(path: directory)) { try SpanStore(path: path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    }

    /// Another user prepares the store's files in a shared sticky directory (like `/tmp`) before the owner runs.
    @Suite(.enabled(if: OtherUser.testsEnabled, "needs root to run processes as another user"))
    struct AnotherUser {
        /// A sticky world-writable directory, as `/tmp` is, and the test user.
        func sharedDirectory() throws -> (TemporaryDirectory, OtherUser) {
            let user = try #require(OtherUser.make(), "CI=true but the test user cannot be made (needs root)")
            let work = TemporaryDirectory()
            #expect(chmod(work.path, 0o1777) == 0)
            return (work, user)
        }

        @Test func aStoreFileMadeByAnotherUserIsRefusedAndNotWritten() throws {
            let (work, user) = try sharedDirectory()
            let path = work.file("traces.sqlite")
            #expect(user.shell("umask 0; : > '\(path)'").status == 0)
            #expect(throws: StoreError.notOwned(path: path, owner: user.uid, expected: geteuid())) {
                try SpanStore(path: path)
            }
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 0)
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        }

        @Test func aSymbolicLinkMadeByAnotherUserIsRefusedAndNothingIsWrittenThroughIt() throws {
            let (work, user) = try sharedDirectory()
            let path = work.file("traces.sqlite")
            let target = work.file("collected")
            #expect(user.shell("umask 0; : > '\(target)' && ln -s '\(target)' '\(path)'").status == 0)
            #expect(throws: StoreError.symbolicLink(path: path)) { try SpanStore(path: path) }
            #expect(try FileManager.default.attributesOfItem(atPath: target)[.size] as? Int == 0)
        }

        @Test func aWriteAheadLogMadeByAnotherUserIsRefusedAndNotWritten() throws {
            let (work, user) = try sharedDirectory()
            let path = work.file("traces.sqlite")
            #expect(user.shell("umask 0; : > '\(path)-wal'").status == 0)
            #expect(throws: StoreError.notOwned(path: path + "-wal", owner: user.uid, expected: geteuid())) {
                try SpanStore(path: path)
            }
            #expect(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int == 0)
            #expect(!FileManager.default.fileExists(atPath: path))
        }

        @Test func aDefaultStoreDirectoryMadeByAnotherUserIsRefused() throws {
            let (work, user) = try sharedDirectory()
            let path = SpanStore.defaultPath(forSpool: work.file("spool"))
            let directory = StorePermissionTests.directory(of: path)
            #expect(user.shell("mkdir -m 700 '\(directory)'").status == 0)
            #expect(throws: StoreError.notOwned(path: directory, owner: user.uid, expected: geteuid())) {
                try SpanStore(path: path)
            }
        }
    }
}
