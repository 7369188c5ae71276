#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Wakes the follow loop when a spool directory changes: inotify on Linux (new, renamed and appended files),
/// a plain timer elsewhere or when inotify is unavailable (the polling fallback).
final class DirectoryWatcher: Sendable {
    private let fd: Int32

    /// Watches `paths`; falls back to polling when inotify cannot be set up or `useInotify` is false.
    init(paths: [String], useInotify: Bool = true) {
        #if os(Linux)
        let fd = useInotify ? inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) : -1
        if fd >= 0 {
            let mask = UInt32(IN_CREATE | IN_MOVED_TO | IN_MODIFY | IN_CLOSE_WRITE)
            for path in paths where inotify_add_watch(fd, path, mask) < 0 {
                close(fd)
                self.fd = -1
                return
            }
        }
        self.fd = fd
        #else
        self.fd = -1
        #endif
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether inotify is in use.
    var usesInotify: Bool { fd >= 0 }

    /// Waits until a directory changes, `timeoutMillis` pass, `shouldStop` returns true or the task is cancelled.
    /// Checks every 20 ms, so it never blocks a thread of the cooperative pool.
    func wait(timeoutMillis: Int, shouldStop: () -> Bool) async {
        let step = 20
        var waited = 0
        while waited < timeoutMillis {
            if shouldStop() || Task.isCancelled { return }
            if fd >= 0, drainEvents() { return }
            let slice = min(step, timeoutMillis - waited)
            try? await Task.sleep(for: .milliseconds(slice))
            waited += slice
        }
    }

    /// Reads pending events; true when there were any.
    private func drainEvents() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var any = false
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n > 0 {
                any = true
                continue
            }
            return any
        }
    }
}
