import SpoolBase

/// A `TextOutputStream` writing to a file descriptor (standard output or error) through a small buffer.
///
/// Writes go out when the buffer passes 64 KiB, on `flush()`, and after every write when `flushEachWrite` (for
/// `--follow`, so each span appears at once). A closed pipe (EPIPE) stops output silently.
struct FileDescriptorOutput: TextOutputStream {
    /// The descriptor written to.
    let fd: Int32
    /// Flush after every write.
    var flushEachWrite: Bool
    private var buffer: [UInt8] = []
    /// Whether writing failed (e.g. the reader of a pipe went away); later writes are dropped.
    private(set) var failed = false

    /// Creates an output on `fd` (1 = standard output, 2 = standard error).
    init(fd: Int32, flushEachWrite: Bool = false) {
        self.fd = fd
        self.flushEachWrite = flushEachWrite
    }

    /// Appends `string`.
    mutating func write(_ string: String) {
        guard !failed else { return }
        buffer.append(contentsOf: string.utf8)
        if flushEachWrite || buffer.count >= 64 << 10 { flush() }
    }

    /// Writes out what is buffered.
    mutating func flush() {
        if !failed, !buffer.isEmpty, POSIX.writeAll(fd, buffer) != 0 { failed = true }
        buffer.removeAll(keepingCapacity: true)
    }
}
