import Dispatch
import SpoolBase
import SpoolFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reports invocation markers (`invocation-<id>.done`) as they are created in the spool directory: an inotify watch
/// (Linux) read by a Dispatch source, so that waiting costs no CPU and the marker is seen within microseconds. Where
/// inotify is unavailable, `isWatching` is false and the caller polls.
package final class MarkerWatcher: Sendable {
    private let fd: Int32
    // The Dispatch source; set once in `init`, cancelled in `deinit`.
    nonisolated(unsafe) private var source: (any DispatchSourceRead)?

    /// Whether markers are reported (inotify is in use).
    package var isWatching: Bool { fd >= 0 }

    /// Watches `directory` (which must exist) and calls `onMarker` with the request id of each marker created or
    /// moved in, on a Dispatch queue.
    package init(directory: String, onMarker: @escaping @Sendable (String) -> Void) {
        #if os(Linux)
            let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard fd >= 0, inotify_add_watch(fd, directory, UInt32(IN_CREATE | IN_MOVED_TO | IN_ONLYDIR)) >= 0 else {
                if fd >= 0 { close(fd) }
                self.fd = -1
                return
            }
            self.fd = fd
            let source = DispatchSource.makeReadSource(
                fileDescriptor: fd, queue: DispatchQueue(label: "tracespool.markers"))
            source.setEventHandler { Self.readEvents(fd: fd, onMarker: onMarker) }
            source.setCancelHandler { close(fd) }
            source.resume()
            self.source = source
        #else
            self.fd = -1
        #endif
    }

    deinit {
        // The cancel handler closes the descriptor.
        source?.cancel()
    }

    /// Reads every pending event and reports the markers among the names.
    private static func readEvents(fd: Int32, onMarker: @Sendable (String) -> Void) {
        #if os(Linux)
            InotifyEvents.readPending(fd: fd) { _, _, name in
                if let id = InvocationMarker.requestID(fromFileName: String(decoding: name, as: UTF8.self)) {
                    onMarker(id)
                }
            }
        #endif
    }
}
