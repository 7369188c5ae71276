import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// Real faults under the spool: a full file system, a read-only one, and a directory the process may not write.
    /// Mounting needs root; without it these tests say so and do nothing, except under `CI=true`, where they must
    /// run. In every case the application keeps running, `flush` returns false while spans cannot be made durable,
    /// the loss is counted (`io_error`), and the tracer recovers once the disk does.
    @Suite("Hostile disks")
    struct HostileDiskTests {
        /// A small tmpfs mounted on a temporary directory.
        final class TmpfsMount {
            let path: String

            init?(sizeKiB: Int) {
                path = NSTemporaryDirectory() + "tracespool-tmpfs-\(UUID().uuidString)"
                guard geteuid() == 0,
                    (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) != nil,
                    runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=\(sizeKiB)k,mode=0755", "tmpfs", path]) == 0
                else {
                    try? FileManager.default.removeItem(atPath: path)
                    return nil
                }
            }

            func remount(readOnly: Bool) -> Bool {
                runTool("/bin/mount", ["-o", readOnly ? "remount,ro" : "remount,rw", path]) == 0
            }

            /// Fills the file system with a filler file until a write fails (ENOSPC).
            func fill() {
                let fd = open(path + "/filler", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                guard fd >= 0 else { return }
                defer { close(fd) }
                let chunk = [UInt8](repeating: 0x5A, count: 4096)
                while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
            }

            func unfill() { unlink(path + "/filler") }

            func tearDown() {
                _ = runTool("/bin/umount", [path])
                try? FileManager.default.removeItem(atPath: path)
            }
        }

        @Test("a full file system: flush is false, the loss is counted, and spans land again once space is freed")
        func fullDisk() throws {
            guard let mount = TmpfsMount(sizeKiB: 1024) else {
                return skipRealFaultTest("the full-disk test", needs: "root and tmpfs mounts")
            }
            defer { mount.tearDown() }
            let tracer = SpoolTracer(configuration: testConfiguration(spool: mount.path + "/spool"))
            for _ in 0..<50 { tracer.withSpan("before") { _ in } }
            #expect(tracer.flush(timeoutMillis: 30_000))

            mount.fill()
            let payload = String(repeating: "x", count: 400)
            for i in 0..<2_000 { tracer.withSpan("while-full") { $0.attributes["payload"] = "\(i) \(payload)" } }
            #expect(tracer.flush(timeoutMillis: 30_000) == false)
            #expect(tracer.statistics.drops.counts[.ioError, default: 0] > 0)

            mount.unfill()
            for _ in 0..<50 { tracer.withSpan("after") { _ in } }
            #expect(tracer.flush(timeoutMillis: 30_000), "flush succeeds once there is space again")
            #expect(tracer.shutdown())
            let contents = try SpoolContents(reading: mount.path + "/spool")
            #expect(contents.spans(named: "before").count == 50)
            #expect(contents.spans(named: "after").count == 50)
            // Every span is either in the spool or counted as lost, in the spool's own drops records.
            let lost = contents.drops.counts[.ioError, default: 0]
            #expect(lost > 0)
            #expect(UInt64(contents.spans(named: "while-full").count) + lost >= 2_000)
        }

        @Test("a read-only file system: nothing is written, flush is false, and the spool appears once it is writable")
        func readOnlyDisk() throws {
            guard let mount = TmpfsMount(sizeKiB: 4096) else {
                return skipRealFaultTest("the read-only test", needs: "root and tmpfs mounts")
            }
            defer { mount.tearDown() }
            #expect(mount.remount(readOnly: true))
            let tracer = SpoolTracer(configuration: testConfiguration(spool: mount.path + "/spool"))
            for _ in 0..<100 { tracer.withSpan("while-read-only") { _ in } }
            #expect(tracer.flush(timeoutMillis: 30_000) == false)
            #expect(tracer.statistics.drops.counts[.ioError, default: 0] >= 100)
            #expect(!FileManager.default.fileExists(atPath: mount.path + "/spool"))

            #expect(mount.remount(readOnly: false))
            for _ in 0..<50 { tracer.withSpan("after") { _ in } }
            #expect(tracer.flush(timeoutMillis: 30_000), "the writer opens the spool once the file system is writable")
            #expect(tracer.shutdown())
            let contents = try SpoolContents(reading: mount.path + "/spool")
            #expect(contents.spans(named: "after").count == 50)
            #expect(contents.drops.counts[.ioError, default: 0] >= 100)
        }

        @Test("permission denied: an unprivileged process keeps running, exits 3 (not flushed) and logs once")
        func permissionDenied() throws {
            // Root is never denied, so run tracespool-demo as `nobody` against a directory only root may enter.
            guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
                return skipRealFaultTest("the permission test", needs: "root and /usr/bin/setpriv")
            }
            try withTemporarySpool { spool in
                // The temporary directory is 0700: let `nobody` in, up to the private directory.
                chmod(spool.path, 0o755)
                try FileManager.default.createDirectory(
                    atPath: spool.path + "/private", withIntermediateDirectories: true)
                chmod(spool.path + "/private", 0o700)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
                process.arguments = [
                    "--reuid=65534", "--regid=65534", "--clear-groups", FlushTests.demoPath, "--spool",
                    spool.path + "/private/spool", "--spans", "20", "--flush-timeout-ms", "10000",
                ]
                let out = Pipe()
                let err = Pipe()
                process.standardOutput = out
                process.standardError = err
                try process.run()
                let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                #expect(process.terminationReason == .exit, "killed by a signal: \(stderr)")
                #expect(process.terminationStatus == 3, "\(stdout) \(stderr)")
                #expect(stdout.contains("flushed=false"))
                // The problem is logged once (warning), however many frames and flushes fail.
                let warnings = stderr.split(separator: "\n").filter { $0.contains("I/O problem") }
                #expect(warnings.count == 1, "\(stderr)")
                #expect(stderr.contains("ermission denied") || stderr.contains("EACCES") || stderr.contains("errno 13"))
                #expect(!FileManager.default.fileExists(atPath: spool.path + "/private/spool"))
            }
        }
    }
}
