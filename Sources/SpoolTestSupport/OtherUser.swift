import Foundation

/// A real second user for permission and ownership tests: the system user `tracespool-test` (created with `useradd
/// --system --no-create-home` when absent), whose processes run through `setpriv --reuid --regid --clear-groups`.
///
/// Only root can create the user and switch to it, so these tests run as root (as CI does); elsewhere they are
/// skipped, except under `CI=true`, where `OtherUser.testsEnabled` stays true and the missing user fails the test.
package struct OtherUser: Sendable {
    /// The user's name.
    package static let name = "tracespool-test"

    /// The user's id.
    package let uid: UInt32
    /// The user's primary group id (its own group).
    package let gid: UInt32

    /// Whether permission tests with another user run: as root, or under `CI=true` (where they must).
    package static var testsEnabled: Bool {
        geteuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// The test user, created when absent; nil when this process is not root or the user cannot be made.
    package static func make() -> OtherUser? {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return nil }
        if let user = lookup() { return user }
        _ = OtherUser.runTool("/usr/sbin/useradd", ["--system", "--no-create-home", "--user-group", name])
        return lookup()
    }

    private static func lookup() -> OtherUser? {
        guard let entry = getpwnam(name) else { return nil }
        return OtherUser(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// What a process run as the user did.
    package struct Outcome: Sendable {
        /// Its exit status (-1 when it could not start or was killed).
        package var status: Int32
        /// Its standard output.
        package var stdout: String
        /// Its standard error.
        package var stderr: String
    }

    /// Runs `executable` with `arguments` as this user (`setpriv --reuid --regid --clear-groups`; `gid` replaces the
    /// user's group), with `environment` added to this process's environment, and waits for it.
    @discardableResult
    package func run(
        _ executable: String, _ arguments: [String], gid: UInt32? = nil, environment: [String: String] = [:]
    ) -> Outcome {
        let prefix = ["--reuid=\(uid)", "--regid=\(gid ?? self.gid)", "--clear-groups", "--", executable]
        return Self.runTool("/usr/bin/setpriv", prefix + arguments, environment: environment)
    }

    /// Runs the shell command `script` (`/bin/sh -c`) as this user.
    @discardableResult
    package func shell(_ script: String) -> Outcome {
        run("/bin/sh", ["-c", script])
    }

    /// Runs `executable` as this process's user and waits for it.
    @discardableResult
    package static func runTool(_ executable: String, _ arguments: [String], environment: [String: String] = [:])
        -> Outcome
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // Both streams go to files, so that a chatty child never blocks on a full pipe.
        let base = NSTemporaryDirectory() + "other-user-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        guard FileManager.default.createFile(atPath: base + ".out", contents: nil),
            FileManager.default.createFile(atPath: base + ".err", contents: nil),
            let out = FileHandle(forWritingAtPath: base + ".out"), let err = FileHandle(forWritingAtPath: base + ".err")
        else { return Outcome(status: -1, stdout: "", stderr: "cannot create output files") }
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return Outcome(status: -1, stdout: "", stderr: "\(error)") }
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        let stdout = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        let status = process.terminationReason == .exit ? process.terminationStatus : -1
        return Outcome(status: status, stdout: stdout, stderr: stderr)
    }
}
