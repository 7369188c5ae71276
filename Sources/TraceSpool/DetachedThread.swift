#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts the tracer's background threads: detached POSIX threads, not the Swift concurrency pool, whose threads must
/// never block on disk I/O.
enum DetachedThread {
    /// What a new thread runs.
    private final class Job: Sendable {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Runs `body` on a new detached thread named `name` (at most 15 bytes; visible in `/proc/<pid>/task/*/comm`,
    /// debuggers and `top -H`).
    ///
    /// - Returns: 0, or the error number of `pthread_create` (then `body` does not run).
    static func start(name: String, _ body: @escaping @Sendable () -> Void) -> Int32 {
        let job = Unmanaged.passRetained(Job(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { raw in
                DetachedThread.run(raw!)
                return nil
            }, job)
        if rc == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Job>.fromOpaque(job).release()
        }
        return rc
    }

    /// The new thread's entry: takes the job (+1) and runs it.
    private static func run(_ raw: UnsafeMutableRawPointer) {
        let job = Unmanaged<Job>.fromOpaque(raw).takeRetainedValue()
        setName(job.name)
        job.body()
    }

    /// Names the calling thread (Linux; elsewhere nothing).
    private static func setName(_ name: String) {
        #if canImport(Glibc)
            // pthread_setname_np is not visible to Swift without _GNU_SOURCE; the proc file does the same.
            let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            if fd >= 0 {
                _ = name.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
                Glibc.close(fd)
            }
        #endif
    }
}
