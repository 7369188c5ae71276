#if os(Linux)
    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Musl)
        import Musl
    #endif

    /// The reader of Linux inotify events, for the watchers that follow spool directories.
    package enum InotifyEvents {
        /// Reads every event pending on the non-blocking inotify descriptor `fd` and calls `body` with each event's
        /// watch descriptor, mask and name (the bytes of the file name, empty for an event on the watched directory
        /// itself). Returns when nothing is pending, at end of file or on a read error (retried on `EINTR`).
        package static func readPending(
            fd: Int32, _ body: (_ watch: Int32, _ mask: UInt32, _ name: Slice<UnsafeRawBufferPointer>) -> Void
        ) {
            withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 8) { buffer in
                while true {
                    let n = read(fd, buffer.baseAddress!, buffer.count)
                    if n < 0, errno == EINTR { continue }
                    guard n > 0 else { return }
                    let events = UnsafeRawBufferPointer(rebasing: buffer[..<n])
                    var offset = 0
                    while offset + 16 <= n {  // struct inotify_event: wd, mask, cookie, len, name[len]
                        let watch = events.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                        let mask = events.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                        let length = Int(events.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                        let name = events[(offset + 16)..<min(n, offset + 16 + length)].prefix { $0 != 0 }
                        offset += 16 + length
                        body(watch, mask, name)
                    }
                }
            }
        }
    }
#endif
