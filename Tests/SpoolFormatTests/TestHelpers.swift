import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Writes `bytes` to `path`, replacing it.
func writeFile(_ path: String, _ bytes: some Collection<UInt8>) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    precondition(fd >= 0, "open \(path): errno \(errno)")
    defer { close(fd) }
    let array = Array(bytes)
    var done = 0
    while done < array.count {
        let n = array.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, array.count - done) }
        precondition(n > 0, "write \(path): errno \(errno)")
        done += n
    }
}

/// Appends `bytes` to `path`.
func appendFile(_ path: String, _ bytes: some Collection<UInt8>) {
    let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
    precondition(fd >= 0, "open \(path): errno \(errno)")
    defer { close(fd) }
    let array = Array(bytes)
    let n = array.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, array.count) }
    precondition(n == array.count)
}

/// The whole contents of `path`.
func readFile(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return [UInt8](data)
}

/// `lstat` of `path`, or nil.
func fileStat(_ path: String) -> stat? {
    var st = stat()
    return lstat(path, &st) == 0 ? st : nil
}

/// Runs `body` and returns the `SpoolError` it threw, or nil (any other error is recorded as an issue).
func spoolError(_ body: () throws -> Void) -> SpoolError? {
    do {
        try body()
        return nil
    } catch let error as SpoolError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

/// The package root (this file is `Tests/SpoolFormatTests/TestHelpers.swift`).
let packageRoot: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// The directory holding the test binary and the package's other built products (`spool-test-writer`).
func builtProductsDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else {
        // No /proc (macOS): the products directory holds the .xctest bundle.
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }
        return bundle?.bundleURL.deletingLastPathComponent().path ?? ""
    }
    let exe = String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var parts = exe.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast()
    // The test binary is `<products>/X.xctest`, or sits inside a bundle `<products>/X.xctest/Contents/MacOS/X`.
    if let bundle = parts.lastIndex(where: { $0.hasSuffix(".xctest") }) { parts.removeSubrange(bundle...) }
    return parts.joined(separator: "/")
}

/// A record body of a random size (mostly small, sometimes up to `maxBytes`), random or compressible.
func randomRecordBody(_ rng: inout SplitMix64, maxBytes: Int = 64 << 10) -> [UInt8] {
    let roll = rng.next() % 100
    let size: Int
    if roll < 70 {
        size = Int(rng.next() % 257)
    } else if roll < 95 {
        size = 257 + Int(rng.next() % 3840)
    } else {
        size = Int(rng.next() % UInt64(maxBytes + 1))
    }
    if rng.next() % 2 == 0 { return rng.bytes(size) }
    // Compressible: a short random motif repeated.
    let motif = rng.bytes(1 + Int(rng.next() % 24))
    var out: [UInt8] = []
    out.reserveCapacity(size)
    while out.count < size { out.append(contentsOf: motif.prefix(size - out.count)) }
    return out
}

/// Encodes records into a frame payload.
func payload(_ records: [(RecordType, [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    for (type, body) in records { RecordEncoding.append(type: type, body: body, to: &out) }
    return out
}
