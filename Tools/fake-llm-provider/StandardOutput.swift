#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Flushes standard output (all output streams), so a parent reading a pipe sees the URL line at once.
func fflushStandardOutput() {
    fflush(nil)
}
