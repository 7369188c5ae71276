import SpoolBase

/// Unbuffered writes to file descriptor 2.
enum StandardError {
    /// Writes `text` whole (retrying short writes; errors are ignored).
    static func write(_ text: String) {
        _ = POSIX.writeAll(2, Array(text.utf8))
    }
}
