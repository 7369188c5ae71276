import Foundation
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// A really stalled disk: the spool lives on a loop-mounted ext4 file system that `fsfreeze` freezes, so the
    /// writer thread blocks inside the kernel (`pwrite`/`fdatasync` sleep until the file system thaws), exactly as on
    /// a hung network volume. Needs root and loop devices; without them the test says so and does nothing, except
    /// under `CI=true`, where it must run.
    @Suite("Frozen file system")
    struct FrozenFileSystemTests {
        /// A 64 MiB ext4 image mounted on a temporary directory, unmounted and removed by `tearDown()`.
        struct LoopMount {
            let image: String
            let mountPoint: String
            var frozen = false

            init?() {
                let base = NSTemporaryDirectory() + "tracespool-freeze-\(UUID().uuidString)"
                image = base + ".img"
                mountPoint = base
                guard geteuid() == 0,
                    FileManager.default.createFile(atPath: image, contents: nil),
                    truncate(image, 64 << 20) == 0,
                    runTool("/sbin/mkfs.ext4", ["-q", "-F", image]) == 0,
                    (try? FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true))
                        != nil,
                    runTool("/bin/mount", ["-o", "loop", image, mountPoint]) == 0
                else {
                    try? FileManager.default.removeItem(atPath: image)
                    try? FileManager.default.removeItem(atPath: mountPoint)
                    return nil
                }
            }

            mutating func freeze() -> Bool {
                frozen = runTool("/sbin/fsfreeze", ["--freeze", mountPoint]) == 0
                return frozen
            }

            mutating func thaw() {
                if frozen { _ = runTool("/sbin/fsfreeze", ["--unfreeze", mountPoint]) }
                frozen = false
            }

            mutating func tearDown() {
                thaw()
                _ = runTool("/bin/umount", [mountPoint])
                try? FileManager.default.removeItem(atPath: mountPoint)
                try? FileManager.default.removeItem(atPath: image)
            }
        }

        @Test("flush honours its timeout while the spool's file system is frozen, and loses nothing once it thaws")
        func frozenFileSystem() throws {
            guard var mount = LoopMount() else {
                return skipRealFaultTest("the frozen file system test", needs: "root, mkfs.ext4 and a loop device")
            }
            defer { mount.tearDown() }
            let tracer = SpoolTracer(configuration: testConfiguration(spool: mount.mountPoint + "/spool"))

            for _ in 0..<50 { tracer.withSpan("before-freeze") { _ in } }
            #expect(tracer.flush(timeoutMillis: 30_000), "the spool works before the freeze")

            let frozen = mount.freeze()
            try #require(frozen, "fsfreeze failed")
            for _ in 0..<50 { tracer.withSpan("while-frozen") { _ in } }
            // Two callers at once, from two threads: both must come back false within the timeout plus a small
            // constant (the bound asserted here is generous because this machine is shared; the point is that they
            // return at all while the writer is stuck in the kernel).
            let clock = ContinuousClock()
            let start = clock.now
            let other = JoinableThread.detached { tracer.flush(timeoutMillis: 300) }
            let result = tracer.flush(timeoutMillis: 300)
            let otherResult = other.join()
            let elapsed = clock.now - start
            #expect(result == false)
            #expect(otherResult == false)
            #expect(elapsed < .seconds(5), "flush(timeoutMillis: 300) blocked for \(elapsed)")
            // Recording still never blocks.
            for _ in 0..<50 { tracer.withSpan("while-frozen") { _ in } }

            mount.thaw()
            #expect(tracer.flush(timeoutMillis: 60_000), "flush succeeds once the file system thaws")
            #expect(tracer.shutdown())
            let contents = try SpoolContents(reading: mount.mountPoint + "/spool")
            #expect(contents.spans(named: "before-freeze").count == 50)
            #expect(contents.spans(named: "while-frozen").count == 100)
            #expect(contents.isIntact)
        }
    }
}

/// A thread running `body`, whose result `join()` waits for.
private final class JoinableThread<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: T?

    static func detached(_ body: @escaping @Sendable () -> T) -> JoinableThread<T> {
        let thread = JoinableThread<T>()
        Foundation.Thread.detachNewThread {
            thread.result = body()
            thread.done.signal()
        }
        return thread
    }

    func join() -> T {
        done.wait()
        return result!
    }
}
