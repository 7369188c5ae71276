import Foundation

/// Prompt directories for the prompt tests: the sample one in `Examples/Prompts`, and temporary ones written from a
/// list of files.
enum PromptFixture {
    /// `Examples/Prompts` of this package.
    static let examples: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/Examples/Prompts"
    }()

    /// Runs `body` with a temporary directory holding `files` (relative path → bytes), removed afterwards.
    static func withDirectory<T>(_ files: [String: [UInt8]], _ body: (String) throws -> T) throws -> T {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prompts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (path, bytes) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: full))
        }
        return try body(root)
    }

    /// `withDirectory(_:_:)` for text files.
    static func withDirectory<T>(text files: [String: String], _ body: (String) throws -> T) throws -> T {
        try withDirectory(files.mapValues { Array($0.utf8) }, body)
    }
}
