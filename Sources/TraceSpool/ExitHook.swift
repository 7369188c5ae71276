import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `shutdown()` of every live tracer at normal process exit (`atexit`).
enum ExitHook {
    private static let cores = Mutex<[ObjectIdentifier: TracerCore]>([:])
    private static let installed = Atomic<Bool>(false)

    static func register(_ core: TracerCore) {
        if installed.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
            atexit { ExitHook.runAll() }
        }
        cores.withLock { $0[ObjectIdentifier(core)] = core }
    }

    static func unregister(_ core: TracerCore) {
        _ = cores.withLock { $0.removeValue(forKey: ObjectIdentifier(core)) }
    }

    /// Whether `core` is still to be shut down at exit.
    static func isRegistered(_ core: TracerCore) -> Bool {
        cores.withLock { $0[ObjectIdentifier(core)] != nil }
    }

    static func runAll() {
        let live = cores.withLock { Array($0.values) }
        for core in live { _ = core.shutdown(timeoutMillis: core.config.flushTimeoutMillis) }
    }
}
