import Synchronization

/// The last line of a terminal shared by a status display (the progress bar) and log lines: a log line never lands
/// on top of the status; the status is cleared before it and drawn again below it.
///
/// Every write goes through one lock, so lines written from several threads never interleave.
final class StatusLine: Sendable {
    /// The status line of standard error.
    static let standardError = StatusLine(write: StandardError.write)

    /// Clears the terminal line the cursor is on: carriage return, then erase to the end of the line.
    static let clear = "\r\u{1B}[K"

    private let write: @Sendable (String) -> Void
    /// The status shown now; nil when none is.
    private let shown = Mutex<String?>(nil)

    /// A status line over `write` (which writes its argument whole).
    init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// Shows `status` (one line without a newline) in place of the current one.
    func show(_ status: String) {
        shown.withLock {
            $0 = status
            write(Self.clear + status)
        }
    }

    /// Writes `text` (whole lines, ending in a newline) above the status: the status is cleared first and drawn
    /// again after it.
    func print(_ text: String) {
        shown.withLock {
            guard let status = $0 else { return write(text) }
            write(Self.clear + text + status)
        }
    }

    /// Ends the status: `last` is left on its own line (nil: the line is cleared); later text is written as is.
    func finish(_ last: String?) {
        shown.withLock {
            guard $0 != nil || last != nil else { return }
            write(Self.clear + (last.map { $0 + "\n" } ?? ""))
            $0 = nil
        }
    }
}
