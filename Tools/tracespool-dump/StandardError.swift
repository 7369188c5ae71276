import TraceSpoolDump

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `tracespool-dump` writes to standard error: errors (`tracespool-dump: <message>`) and diagnostics
/// (`warning: ...` lines).
enum StandardError {
    /// Prints `error`'s message to standard error and exits with `code`.
    static func fail(_ error: DumpError, code: DumpExitCode = .failure) -> Never {
        var err = FileDescriptorOutput(fd: 2)
        err.write("tracespool-dump: \(error.message)\n")
        err.flush()
        exit(code.rawValue)
    }

    /// Prints diagnostics to standard error.
    static func report(_ diagnostics: DumpDiagnostics) {
        guard diagnostics.count > 0 else { return }
        var err = FileDescriptorOutput(fd: 2)
        err.write(diagnostics.rendered())
        err.flush()
    }
}
