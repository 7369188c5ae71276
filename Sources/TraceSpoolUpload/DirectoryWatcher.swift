import SpoolBase
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wakes the follow loop when a spool directory changes: inotify on Linux (new, renamed and appended files),
/// a plain timer elsewhere or when inotify is unavailable (the polling fallback).
///
/// Every spool directory that exists is watched. One that does not exist (yet), or cannot be watched, is replaced by
/// its nearest watchable ancestor, watched for the creation (or arrival by rename) of the next directory on the way
/// down; as each one appears the watch moves down, and when the spool directory itself appears it gets its own watch
/// and `wait` returns. A spool directory that is deleted or moved away is replaced by its nearest existing ancestor
/// again, so a re-created one is watched too. A wait that ends without a change also retries the spool directories
/// not watched yet (changes inotify cannot report, such as permissions).
final class DirectoryWatcher: Sendable {
    private let fd: Int32
    /// The spool paths, normalized (no empty or `.` components, no trailing slash).
    private let targets: [String]
    private let watches = Mutex(Watches())

    /// What one inotify watch descriptor stands for.
    private struct Watch {
        /// The path it was added for.
        var path: String
        /// Whether it is a spool directory's own watch (every change in it wakes `wait`).
        var isTarget = false
        /// Names of missing directories on the way to a spool directory; their creation moves the watch down.
        var awaited: Set<String> = []
    }

    /// The current watches, by descriptor.
    private struct Watches {
        var byDescriptor: [Int32: Watch] = [:]
        /// Whether every spool directory has its own watch.
        var complete = false
    }

    /// Watches `paths`; falls back to polling when inotify cannot be initialised or `useInotify` is false.
    init(paths: [String], useInotify: Bool = true) {
        targets = paths.map(Self.normalize)
        #if os(Linux)
            fd = useInotify ? inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) : -1
            if fd >= 0 { watches.withLock { _ = refresh(&$0) } }
        #else
            fd = -1
        #endif
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether inotify is in use.
    var usesInotify: Bool { fd >= 0 }

    /// The directories watched now, sorted (for tests): spool directories and the ancestors standing in for missing
    /// ones.
    var watchedPaths: [String] { watches.withLock { $0.byDescriptor.values.map(\.path) }.sorted() }

    /// Waits until a directory changes, `timeout` passes on `clock`, `stop` is raised or the task is cancelled.
    ///
    /// The timeout is a sleep on `clock` (a test's manual clock moves it); inotify events are noticed by checking
    /// the non-blocking inotify descriptor every 20 ms of real time, so a change wakes the wait whatever the clock.
    /// Nothing here blocks a thread.
    ///
    /// - Returns: true when a change woke it (a spool directory changed, appeared or went away).
    @discardableResult
    func wait(timeout: Duration, clock: any Clock<Duration>, stop: StopSignal) async -> Bool {
        if stop.isRaised || Task.isCancelled { return false }
        let changed = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await clock.sleep(for: timeout)
                return false
            }
            group.addTask {
                await stop.wait()
                return false
            }
            if fd >= 0 {
                group.addTask { await self.nextChange() }
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        #if os(Linux)
            // Not a change: the loop scans after a timeout anyway.
            if !changed, fd >= 0 { watches.withLock { w in if !w.complete { _ = refresh(&w) } } }
        #endif
        return changed
    }

    /// Returns true as soon as `processEvents()` reports a change (checked every 20 ms), false when the task is
    /// cancelled first.
    private func nextChange() async -> Bool {
        while !Task.isCancelled {
            if processEvents() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Reads the pending events and moves watches as directories appear and go away.
    ///
    /// - Returns: true when a spool directory changed, got its own watch or went away, or events were lost (queue
    ///   overflow).
    func processEvents() -> Bool {
        #if os(Linux)
            return watches.withLock { w in
                var woke = false
                var moved = false
                InotifyEvents.readPending(fd: fd) { wd, mask, name in
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        // Events were lost: look at every path again, and let the loop scan.
                        woke = true
                        moved = true
                        return
                    }
                    guard let watch = w.byDescriptor[wd] else { return }  // removed since
                    if watch.isTarget { woke = true }
                    if mask & UInt32(IN_IGNORED) != 0 {
                        w.byDescriptor[wd] = nil
                        moved = true
                    } else if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                        moved = true
                    } else if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, !watch.awaited.isEmpty,
                        watch.awaited.contains(String(decoding: name, as: UTF8.self))
                    {
                        moved = true
                    }
                }
                if moved, refresh(&w) { woke = true }
                return woke
            }
        #else
            return false
        #endif
    }

    #if os(Linux)
        /// Inotify events in a spool directory: new, renamed-in and written files, and the directory going away.
        private static let targetMask = UInt32(
            IN_CREATE | IN_MOVED_TO | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR
                | IN_MASK_ADD)
        /// Inotify events in an ancestor standing in for a missing spool directory: a directory appearing in it, and
        /// the ancestor itself going away.
        private static let ancestorMask = UInt32(
            IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_MASK_ADD)

        /// Puts every spool directory, or its nearest watchable ancestor, under a watch and removes the watches no
        /// longer needed. `IN_MASK_ADD` keeps a spool directory's events when it is also another one's ancestor.
        ///
        /// - Returns: true when a spool directory got its own watch.
        private func refresh(_ w: inout Watches) -> Bool {
            var next: [Int32: Watch] = [:]
            var added: Set<Int32> = []
            var complete = true
            func add(_ path: String, target: Bool) -> Int32 {
                let wd = inotify_add_watch(fd, path, target ? Self.targetMask : Self.ancestorMask)
                if wd >= 0 { added.insert(wd) }
                return wd
            }
            for target in targets {
                let chain = Self.ancestry(of: target)
                var level = 0
                var wd = add(target, target: true)
                while wd < 0, level + 1 < chain.count {
                    level += 1
                    wd = add(chain[level], target: false)
                }
                guard wd >= 0 else {
                    complete = false  // nothing watchable: the timer covers it
                    continue
                }
                // A directory below may have appeared before the ancestor's watch was in place: go down again.
                while level > 0 {
                    let below = add(chain[level - 1], target: level == 1)
                    guard below >= 0 else { break }
                    wd = below
                    level -= 1
                }
                var watch = next[wd] ?? Watch(path: chain[level])
                if level == 0 {
                    watch.isTarget = true
                } else {
                    complete = false
                    watch.awaited.insert(Self.lastComponent(of: chain[level - 1]))
                }
                next[wd] = watch
            }
            let appeared = next.contains { wd, watch in watch.isTarget && w.byDescriptor[wd]?.isTarget != true }
            for wd in added.union(w.byDescriptor.keys) where next[wd] == nil { inotify_rm_watch(fd, wd) }
            w.byDescriptor = next
            w.complete = complete
            return appeared
        }
    #endif

    /// `path` without empty and `.` components or a trailing slash (`"."` or `"/"` when nothing is left).
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        let components = path.split(separator: "/").filter { $0 != "." }
        if components.isEmpty { return absolute ? "/" : "." }
        return (absolute ? "/" : "") + components.joined(separator: "/")
    }

    /// A normalized path followed by its ancestors up to `/` or `.` (or the first `..`).
    static func ancestry(of path: String) -> [String] {
        var chain = [path]
        var current = path
        while current != "/" && current != "." && lastComponent(of: current) != ".." {
            guard let slash = current.lastIndex(of: "/") else {
                current = "."
                chain.append(current)
                continue
            }
            current = slash == current.startIndex ? "/" : String(current[..<slash])
            chain.append(current)
        }
        return chain
    }

    private static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
