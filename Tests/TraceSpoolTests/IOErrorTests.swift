import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// A disk whose write-back fails: the spool lives on a FUSE pass-through file system (`Tools/eio-fs.py`) whose
    /// `fsync`/`fdatasync` return a real EIO from the kernel while a control file exists. Needs root, `/dev/fuse`
    /// and fusepy (Debian `python3-fusepy`); without them the test says so and does nothing, except under
    /// `CI=true`, where it must run.
    @Suite("Failing fdatasync (EIO)")
    struct IOErrorTests {
        /// `Tools/eio-fs.py` serving a temporary backing directory on a temporary mount point.
        final class EIOMount {
            let backing: String
            let mountPoint: String
            let control: String
            let process = Process()

            init?() {
                let base = NSTemporaryDirectory() + "tracespool-eio-\(UUID().uuidString)"
                backing = base + "-backing"
                mountPoint = base + "-mount"
                control = base + "-fail-syncs"
                let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("../../Tools/eio-fs.py").standardizedFileURL.path
                guard geteuid() == 0, FileManager.default.fileExists(atPath: "/dev/fuse"),
                    let python = Self.pythonWithFusepy()
                else { return nil }
                for directory in [backing, mountPoint] {
                    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
                process.executableURL = URL(fileURLWithPath: python)
                process.arguments = [script, backing, mountPoint, control]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                do { try process.run() } catch { return nil }
                // Mounted when the mount point appears in the mount table (at most 10 s).
                for _ in 0..<200 where !isMounted() { usleep(50_000) }
                guard isMounted() else {
                    tearDown()
                    return nil
                }
            }

            func isMounted() -> Bool {
                let table = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
                return table.split(separator: "\n").contains {
                    $0.split(separator: " ").dropFirst().first == Substring(mountPoint)
                }
            }

            /// Makes every later `fsync`/`fdatasync` on the mount fail with EIO (true) or work again (false).
            func failSyncs(_ fail: Bool) {
                if fail {
                    #expect(FileManager.default.createFile(atPath: control, contents: nil))
                } else {
                    try? FileManager.default.removeItem(atPath: control)
                }
            }

            func tearDown() {
                let umount = Process()
                umount.executableURL = URL(fileURLWithPath: "/bin/umount")
                umount.arguments = [mountPoint]
                try? umount.run()
                umount.waitUntilExit()
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
                for path in [backing, mountPoint, control] { try? FileManager.default.removeItem(atPath: path) }
            }

            static func pythonWithFusepy() -> String? {
                ["/usr/bin/python3", "/usr/local/bin/python3"].first { python in
                    guard FileManager.default.isExecutableFile(atPath: python) else { return false }
                    let probe = Process()
                    probe.executableURL = URL(fileURLWithPath: python)
                    probe.arguments = [
                        "-c",
                        "import importlib.util as u, sys; sys.exit(0 if u.find_spec('fusepy') or u.find_spec('fuse') else 1)",
                    ]
                    probe.standardOutput = FileHandle.nullDevice
                    probe.standardError = FileHandle.nullDevice
                    guard (try? probe.run()) != nil else { return false }
                    probe.waitUntilExit()
                    return probe.terminationStatus == 0
                }
            }
        }

        @Test("a failing fdatasync makes flush false, counts the lost spans as io_error, and the tracer recovers")
        func failingSync() throws {
            guard let mount = EIOMount() else {
                return skipRealFaultTest(
                    "the EIO test", needs: "root, /dev/fuse and fusepy: apt-get install python3-fusepy")
            }
            defer { mount.tearDown() }
            let tracer = SpoolTracer(configuration: testConfiguration(spool: mount.mountPoint + "/spool"))

            for _ in 0..<100 { tracer.withSpan("before") { _ in } }
            #expect(tracer.flush(timeoutMillis: 30_000), "the spool works before the disk fails")

            mount.failSyncs(true)
            for _ in 0..<100 { tracer.withSpan("during") { _ in } }
            #expect(tracer.flush(timeoutMillis: 30_000) == false, "a failed fdatasync must not be reported as durable")
            #expect(tracer.statistics.drops.counts[.ioError, default: 0] >= 100)
            // The application keeps running and recording; flushing keeps failing, and says so. Twenty quick
            // flushes against a disk whose syncs keep failing open a new segment at most once per backoff period,
            // not one each.
            for _ in 0..<20 {
                for _ in 0..<5 { tracer.withSpan("during") { _ in } }
                #expect(tracer.flush(timeoutMillis: 30_000) == false)
            }
            let segments = try FileManager.default.contentsOfDirectory(atPath: mount.backing + "/spool")
                .filter { $0.hasSuffix(".open") || $0.hasSuffix(".seg") }
            #expect(segments.count <= 6, "\(segments.count) segments: \(segments)")

            mount.failSyncs(false)
            // Once the backoff after the last failure expires (at most 2 s), spans land again.
            var recovered = false
            for _ in 0..<100 where !recovered {
                tracer.withSpan("probe") { _ in }
                recovered = tracer.flush(timeoutMillis: 30_000)
                if !recovered { usleep(50_000) }
            }
            #expect(recovered, "flush succeeds again once the disk does")
            for _ in 0..<100 { tracer.withSpan("after") { _ in } }
            #expect(tracer.flush(timeoutMillis: 30_000))
            #expect(tracer.shutdown())

            // Read from the backing directory, past the FUSE layer: what was flushed before and after is all there,
            // and the spool itself records the loss.
            let contents = try SpoolContents(reading: mount.backing + "/spool")
            #expect(contents.spans(named: "before").count == 100)
            #expect(contents.spans(named: "after").count == 100)
            #expect(contents.drops.counts[.ioError, default: 0] >= 200)
            // Spans of a failed sync may still be readable (their pages reached the file), but none is invented.
            #expect(contents.spans(named: "during").count <= 200)
        }
    }
}
