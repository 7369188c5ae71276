import SpoolBase
import SpoolFormat
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite("Invocation markers and the default spool path")
struct InvocationMarkerTests {
    @Test func namesRoundTripAndRefuseUnsafeIDs() {
        let id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
        #expect(InvocationMarker.fileName(requestID: id) == "invocation-\(id).done")
        #expect(InvocationMarker.requestID(fromFileName: "invocation-\(id).done") == id)
        for bad in ["", "../x", "a/b", "a.b", "a b", String(repeating: "a", count: 129), "é"] {
            #expect(InvocationMarker.fileName(requestID: bad) == nil, "\(bad)")
            #expect(InvocationMarker.requestID(fromFileName: "invocation-\(bad).done") == nil, "\(bad)")
        }
        for name in ["invocation-.done", "invocation-x", "x.done", "0001-h-1-00000000.seg"] {
            #expect(InvocationMarker.requestID(fromFileName: name) == nil, "\(name)")
        }
    }

    @Test func writeCreatesAnEmptyPrivateFileAndIgnoresAnExistingOne() throws {
        let directory = TempDirectory("marker")
        defer { directory.remove() }
        try InvocationMarker.write(requestID: "r-1", in: directory.path)
        try InvocationMarker.write(requestID: "r-1", in: directory.path)
        var st = stat()
        #expect(lstat(directory.path + "/invocation-r-1.done", &st) == 0)
        #expect(st.st_size == 0)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(throws: SystemCallError.self) { try InvocationMarker.write(requestID: "../escape", in: directory.path) }
        #expect(throws: SystemCallError.self) {
            try InvocationMarker.write(requestID: "r-2", in: directory.path + "/missing")
        }
    }

    @Test func writeDoesNotFollowASymbolicLink() throws {
        let directory = TempDirectory("marker")
        defer { directory.remove() }
        let target = directory.path + "/target"
        #expect(symlink(target, directory.path + "/invocation-r-1.done") == 0)
        #expect(throws: SystemCallError.self) { try InvocationMarker.write(requestID: "r-1", in: directory.path) }
        #expect(access(target, F_OK) != 0)
    }

    @Test func defaultPathPrefersTheVariableThenTMPDIR() {
        #expect(SpoolDirectory.defaultPath(environment: ["TRACESPOOL_DIR": "/a/b"]) == "/a/b")
        #expect(SpoolDirectory.defaultPath(environment: ["TMPDIR": "/x/"]) == "/x/tracespool-\(getuid())")
        #expect(
            SpoolDirectory.defaultPath(environment: ["TRACESPOOL_DIR": "", "TMPDIR": ""])
                == "/tmp/tracespool-\(getuid())")
    }
}
