import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A fresh directory for one test; `remove()` deletes it (call it in a `defer`).
///
/// It lives on /dev/shm (tmpfs) when that is writable, so the writer's fsyncs do not wait for a busy disk; set
/// `SPOOL_TEST_TMPDIR` to test on another file system.
struct TempDirectory {
    let path: String

    static let base: String = {
        if let custom = ProcessInfo.processInfo.environment["SPOOL_TEST_TMPDIR"], !custom.isEmpty { return custom }
        return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    }()

    init(_ label: String) {
        var template = Array("\(Self.base)/spooltest-\(label)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: errno \(errno)")
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
