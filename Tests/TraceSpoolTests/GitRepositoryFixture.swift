import Foundation
import Testing

/// A git repository built with the `git` command in a temporary directory, removed by `remove()`; git runs with
/// no global or system configuration, so the tests see only what they set up.
struct GitRepositoryFixture {
    /// The temporary directory holding the repository (and any linked worktree next to it).
    let base: String
    /// The working tree's root.
    let root: String

    /// Makes a repository on branch `main` with `files` committed (path → content; directories are created).
    init(files: [String: String] = ["README.md": "hello\n", "Sources/App/main.swift": "print(1)\n"]) throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("git-\(UUID().uuidString)").path
        root = base + "/repo"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
        for (path, content) in files { try write(path, content) }
        try git("add", "-A")
        try git("commit", "-q", "-m", "first")
    }

    /// Writes `content` to `path` relative to the root (or to `directory`).
    func write(_ path: String, _ content: String, in directory: String? = nil) throws {
        let url = URL(fileURLWithPath: (directory ?? root) + "/" + path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    /// Runs `git <arguments>` in `directory` (default: the root) and returns its standard output.
    @discardableResult
    func git(_ arguments: String..., in directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? root)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(message: "git \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        var text = Substring(decoding: data, as: UTF8.self)
        while text.last?.isWhitespace == true { text = text.dropLast() }  // porcelain lines start with a space
        return String(text)
    }

    /// `git rev-parse HEAD`.
    func head(in directory: String? = nil) throws -> String { try git("rev-parse", "HEAD", in: directory) }

    /// The paths `git status --porcelain` lists as changed in the working tree or conflicted (untracked ones left
    /// out), sorted.
    func porcelainChanges(in directory: String? = nil) throws -> [String] {
        try git("status", "--porcelain", "--untracked-files=no", in: directory)
            .split(separator: "\n").map { String($0.dropFirst(3)) }.sorted()
    }

    /// Removes the temporary directory.
    func remove() { try? FileManager.default.removeItem(atPath: base) }

    struct FixtureError: Error { var message: String }
}
