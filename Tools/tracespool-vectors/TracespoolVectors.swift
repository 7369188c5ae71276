import SpoolBase
import SpoolFormat
import SpoolTestSupport

/// Writes the golden vectors of the spool format (`GoldenVectors`) and their expected read results into a
/// directory: `swift run tracespool-vectors Spool/vectors`. Exit status 0 on success, 1 on usage or I/O errors.
@main
enum TracespoolVectors {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        guard args.count == 1, let directory = args.first, !directory.hasPrefix("-") else {
            print("usage: tracespool-vectors <output directory>   (e.g. Spool/vectors)")
            exit(1)
        }
        do {
            let vectors = try GoldenVectors.all()
            try FileSystem.makeDirectories(directory, mode: 0o755, parentMode: 0o755)
            for v in vectors {
                try write(v.bytes, to: FileSystem.join(directory, v.name))
                try write(Array(v.expected.jsonText.utf8), to: FileSystem.join(directory, v.expectedFileName))
            }
            try write(Array(GoldenVectors.readme(vectors).utf8), to: FileSystem.join(directory, "README.md"))
            print("wrote \(vectors.count) vectors to \(directory)")
        } catch {
            print("tracespool-vectors: \(error)")
            exit(1)
        }
    }

    /// Replaces the file at `path` with `bytes` (mode 0644, as files checked into git).
    static func write(_ bytes: [UInt8], to path: String) throws(SystemCallError) {
        try FileSystem.writeAtomically(bytes, to: path, mode: 0o644)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
