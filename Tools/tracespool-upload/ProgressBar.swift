import TraceSpoolUpload

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress bar on standard error for `--once` when standard error is a terminal:
/// `[#########...........]  45%  12.3/27.0 MiB  123456 spans`.
struct ProgressBar: Sendable {
    private let progress: UploadProgress

    /// Creates a bar over the uploader's consumed bytes and backlog.
    init(progress: UploadProgress) { self.progress = progress }

    /// Whether standard error is a terminal.
    static var isTerminal: Bool { isatty(2) == 1 }

    /// Redraws every 250 ms until the task is cancelled, then clears the line.
    func run() async {
        while !Task.isCancelled {
            draw()
            try? await Task.sleep(for: .milliseconds(250))
        }
        StandardError.write("\r\u{1B}[K")
    }

    func draw() {
        let done = progress.spoolBytesConsumed
        let total = max(1, progress.backlogBytes)
        let fraction = min(1.0, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let mib = { (b: Int) in String(Double(b / 10_486) / 100) }
        let line =
            "\r[\(bar)] \(Int(fraction * 100))%  \(mib(done))/\(mib(total)) MiB  "
            + "\(progress.spansDelivered) spans"
        StandardError.write(line)
    }
}
