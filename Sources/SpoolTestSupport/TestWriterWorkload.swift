import SpoolFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The workload of the `spool-test-writer` child process used by the multi-process and crash tests: it appends
/// frames of records that name their writer and index, so the parent can check every record arrived exactly once.
///
/// Arguments: `<spool dir> <frames> <records per frame> [--forever] [--max-segment-bytes N] [--pause-micros N]`.
/// With `--forever` it writes until killed (frames is ignored) and never seals; otherwise it closes (seals) at the
/// end. Record `i` of writer `pid` has the body `w<pid>:<i>:` followed by `i % 97` filler bytes.
package enum TestWriterWorkload {
    /// The parsed command line.
    package struct Arguments: Sendable, Equatable {
        /// The spool directory.
        package var directory: String
        /// Frames to write (ignored with `forever`).
        package var frames: Int
        /// Records per frame.
        package var recordsPerFrame: Int
        /// Write until killed.
        package var forever = false
        /// Rotation size in bytes.
        package var maxSegmentBytes = 64 << 20
        /// Pause between frames, microseconds.
        package var pauseMicros = 0

        /// Parses `arguments` (without the program name); nil when malformed.
        package init?(_ arguments: [String]) {
            guard arguments.count >= 3, let frames = Int(arguments[1]), let records = Int(arguments[2]) else {
                return nil
            }
            directory = arguments[0]
            self.frames = frames
            recordsPerFrame = records
            var i = 3
            while i < arguments.count {
                switch arguments[i] {
                case "--forever": forever = true
                case "--max-segment-bytes":
                    guard i + 1 < arguments.count, let n = Int(arguments[i + 1]) else { return nil }
                    maxSegmentBytes = n
                    i += 1
                case "--pause-micros":
                    guard i + 1 < arguments.count, let n = Int(arguments[i + 1]) else { return nil }
                    pauseMicros = n
                    i += 1
                default: return nil
                }
                i += 1
            }
        }
    }

    /// The body of record `index` of writer `pid`.
    package static func body(pid: Int32, index: Int) -> [UInt8] {
        Array("w\(pid):\(index):".utf8) + [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: index % 97)
    }

    /// Parses a record body written by `body(pid:index:)`; nil when it is not one.
    package static func parse(_ recordBody: ArraySlice<UInt8>) -> (pid: Int32, index: Int)? {
        let bytes = Array(recordBody)
        guard bytes.first == UInt8(ascii: "w") else { return nil }
        let fields = bytes.dropFirst().split(
            separator: UInt8(ascii: ":"), maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count >= 2, let pid = Int32(String(decoding: fields[0], as: UTF8.self)),
            let index = Int(String(decoding: fields[1], as: UTF8.self)), body(pid: pid, index: index) == bytes
        else { return nil }
        return (pid, index)
    }

    /// Runs the workload; returns the process exit status (0 success, 1 usage, 2 spool error).
    package static func run(_ arguments: [String]) -> Int32 {
        guard let args = Arguments(arguments) else {
            print(
                "usage: spool-test-writer <dir> <frames> <records-per-frame> [--forever] "
                    + "[--max-segment-bytes N] [--pause-micros N]")
            return 1
        }
        do throws(SpoolError) {
            let pid = getpid()
            let spool = try SpoolDirectory(path: args.directory)
            let writer = try SegmentWriter(
                directory: spool, options: SegmentWriterOptions(maxSegmentBytes: args.maxSegmentBytes))
            var index = 0
            var frame = 0
            while args.forever || frame < args.frames {
                var payload: [UInt8] = []
                for _ in 0..<args.recordsPerFrame {
                    RecordEncoding.append(type: .span, body: body(pid: pid, index: index), to: &payload)
                    index += 1
                }
                try writer.append(payload: payload, recordCount: args.recordsPerFrame)
                frame += 1
                if args.pauseMicros > 0 { usleep(UInt32(args.pauseMicros)) }
            }
            try writer.close()
            return 0
        } catch {
            print("spool-test-writer: \(error)")
            return 2
        }
    }
}
