import SpoolBase
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct FileSystemTests {
    /// A fresh directory, removed by `remove()`.
    struct Directory {
        let path: String

        init() {
            var template = Array("/tmp/spoolbase-test-XXXXXX".utf8CString)
            let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
            precondition(made != nil, "mkdtemp failed")
            path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }

        func remove() {
            for name in (try? FileSystem.listDirectory(path)) ?? [] {
                let child = path + "/" + name
                if rmdir(child) != 0 { unlink(child) }
            }
            rmdir(path)
        }
    }

    func contents(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        guard case .success(let n) = buffer.withUnsafeMutableBytes({ POSIX.preadFully(fd, $0, at: 0) }) else {
            return nil
        }
        return Array(buffer[..<n])
    }

    @Test func writeAtomicallyReplacesTheFileAndLeavesNothingElse() throws {
        let directory = Directory()
        defer { directory.remove() }
        let path = directory.path + "/state"
        try FileSystem.writeAtomically(Array("first".utf8), to: path)
        try FileSystem.writeAtomically(Array("second, longer".utf8), to: path)
        try FileSystem.writeAtomically(Array("3".utf8), to: path)
        #expect(contents(path) == Array("3".utf8))
        #expect(try FileSystem.listDirectory(directory.path) == ["state"])
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(FileSystem.temporaryFilePrefix(for: "x.ack") == ".x.ack.tmp-")
    }

    @Test func aFailedReplaceBeforeTheTemporaryFileExistsLeavesTheOldFile() throws {
        let directory = Directory()
        defer { directory.remove() }
        // The name fits the file system's 255-byte limit, the temporary name beside it does not.
        let path = directory.path + "/" + String(repeating: "n", count: 250)
        let fd = open(path, O_WRONLY | O_CREAT, 0o600)
        #expect(fd >= 0 && POSIX.writeAll(fd, Array("old".utf8)) == 0)
        close(fd)
        #expect(throws: SystemCallError.self) { try FileSystem.writeAtomically(Array("new".utf8), to: path) }
        #expect(contents(path) == Array("old".utf8))
        #expect(try FileSystem.listDirectory(directory.path).count == 1)
    }

    @Test func aFailedRenameRemovesTheTemporaryFile() throws {
        let directory = Directory()
        defer { directory.remove() }
        let target = directory.path + "/target"
        try FileSystem.makeDirectory(target)
        let keep = target + "/keep"
        try FileSystem.writeAtomically(Array("old".utf8), to: keep)
        do throws(SystemCallError) {
            try FileSystem.writeAtomically(Array("new".utf8), to: target)
            Issue.record("replacing a non-empty directory must fail")
        } catch {
            #expect(error.operation == "rename" && error.path == target)
            #expect(error.description.hasPrefix("rename \(target) failed: "))
        }
        #expect(try FileSystem.listDirectory(directory.path) == ["target"], "no temporary file is left")
        #expect(contents(keep) == Array("old".utf8))
    }

    @Test func directories() throws {
        let directory = Directory()
        defer { directory.remove() }
        let nested = directory.path + "/a/b"
        try FileSystem.makeDirectories(nested, mode: 0o700, parentMode: 0o755)
        try FileSystem.makeDirectories(nested)
        var st = stat()
        #expect(stat(directory.path + "/a", &st) == 0 && st.st_mode & 0o777 == 0o755)
        #expect(stat(nested, &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(FileSystem.exists(nested))
        #expect(try FileSystem.listDirectory(directory.path + "/a") == ["b"])
        try FileSystem.syncDirectory(nested)
        rmdir(nested)
        #expect(!FileSystem.exists(nested))
        #expect(throws: SystemCallError(operation: "opendir", path: nested, errno: ENOENT)) {
            try FileSystem.listDirectory(nested)
        }
        #expect(throws: SystemCallError(operation: "open", path: nested, errno: ENOENT)) {
            try FileSystem.syncDirectory(nested)
        }
    }

    @Test func pathsSplitIntoDirectoryAndName() {
        #expect(FileSystem.split("a/b/c") == ("a/b", "c"))
        #expect(FileSystem.split("/c") == ("/", "c"))
        #expect(FileSystem.split("c") == (".", "c"))
    }

    @Test func writeAllAndErrnoText() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        #expect(POSIX.writeAll(fds[1], Array("hello".utf8)) == 0)
        close(fds[1])
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(read(fds[0], &buffer, 16) == 5)
        #expect(POSIX.writeAll(-1, [1]) == EBADF)
        #expect(POSIX.describe(errno: ENOENT) == "No such file or directory")
    }
}
