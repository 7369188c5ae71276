import TraceSpoolUpload

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress bar on standard error for `--once` when standard error is a terminal:
/// `[#########...........]  45%  12.3/27.0 MiB  123456 spans`, kept on the terminal's last line below the log lines
/// (`StatusLine`), and left at 100 % when everything was delivered.
struct ProgressBar: Sendable {
    private let progress: UploadProgress
    private let line: StatusLine
    private let columns: @Sendable () -> Int

    /// Creates a bar over the uploader's consumed bytes and backlog, drawn on `line` within `columns()` characters
    /// (default: standard error's terminal width).
    init(
        progress: UploadProgress, line: StatusLine = .standardError,
        columns: @escaping @Sendable () -> Int = ProgressBar.terminalColumns
    ) {
        self.progress = progress
        self.line = line
        self.columns = columns
    }

    /// Whether standard error is a terminal.
    static var isTerminal: Bool { isatty(2) == 1 }

    /// Standard error's terminal width in characters (80 when it cannot be told).
    @Sendable static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Redraws every 250 ms until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            draw()
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Draws the bar for the progress so far.
    func draw() {
        line.show(
            Self.render(
                done: progress.spoolBytesConsumed, total: progress.backlogBytes, spans: progress.spansDelivered,
                columns: columns()))
    }

    /// Leaves the final bar on its own line: full when `allDelivered` (the backlog also counts segment headers and
    /// damaged bytes, which are never consumed as frames), else where delivery stopped.
    func finish(allDelivered: Bool) {
        let total = progress.backlogBytes
        let done = allDelivered ? max(total, progress.spoolBytesConsumed) : progress.spoolBytesConsumed
        line.finish(Self.render(done: done, total: total, spans: progress.spansDelivered, columns: columns()))
    }

    /// The bar for `done` of `total` bytes and `spans` delivered, at most `columns - 1` characters (so the terminal
    /// never wraps it: a wrapped line could not be cleared).
    static func render(done: Int, total: Int, spans: Int, columns: Int) -> String {
        let fraction = total <= 0 ? (done > 0 ? 1.0 : 0.0) : min(1.0, Double(done) / Double(total))
        let mib = { (b: Int) in String(Double(b / 10_486) / 100) }
        let text = " \(Int(fraction * 100))%  \(mib(done))/\(mib(max(total, done))) MiB  \(spans) spans"
        let room = columns - 1 - text.count - 2
        guard room >= 10 else { return String(text.dropFirst().prefix(max(0, columns - 1))) }
        let width = min(30, room)
        let filled = Int(fraction * Double(width))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]" + text
    }
}
