import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SpoolDirectory {
    /// The spool directory writers and uploaders agree on when none is configured: `TRACESPOOL_DIR` when set and not
    /// empty, else `<TMPDIR or /tmp>/tracespool-<uid>` (on AWS Lambda, where only `/tmp` is writable and a function
    /// and its extensions run as one user, `/tmp/tracespool-<uid>`).
    ///
    /// - Parameter environment: the variables to read (default: the process environment).
    package static func defaultPath(environment: [String: String] = ProcessEnvironment.current) -> String {
        if let configured = environment["TRACESPOOL_DIR"], !configured.isEmpty { return configured }
        let temporary = environment["TMPDIR"].map(FileSystem.trimmingTrailingSlashes) ?? ""
        return "\(temporary.isEmpty ? "/tmp" : temporary)/tracespool-\(getuid())"
    }
}
