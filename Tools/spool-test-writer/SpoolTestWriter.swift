import SpoolTestSupport

/// A child process for the spool format tests: appends numbered records to a spool directory
/// (see `TestWriterWorkload`).
@main
enum SpoolTestWriter {
    static func main() {
        exit(TestWriterWorkload.run(Array(CommandLine.arguments.dropFirst())))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
