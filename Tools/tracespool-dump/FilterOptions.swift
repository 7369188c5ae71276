import ArgumentParser
import TraceSpoolDump

struct FilterOptions: ParsableArguments {
    @Option(help: "Only this trace id (or a hex prefix of it).") var trace: String?
    @Option(help: "Only spans whose session.id is this.") var session: String?
    @Option(help: "Only spans whose user.id is this.") var user: String?
    @Option(help: "Only spans whose name contains this.") var name: String?
    @Option(help: "Only spans starting at or after this time (RFC 3339 or Unix seconds).") var since: String?
    @Option(help: "Only spans starting before this time (RFC 3339 or Unix seconds).") var until: String?
    @Flag(help: "Only failed spans (status ERROR or tracespool.level ERROR).") var errors = false

    func filter(trace override: String? = nil) throws -> SpanFilter {
        func time(_ text: String?, _ option: String) throws -> UInt64? {
            guard let text else { return nil }
            guard let t = TimeFormat.parse(text) else {
                throw ValidationError("\(option) \(text): expected RFC 3339 (2026-11-22T05:56:04Z) or Unix seconds")
            }
            return t
        }
        let sinceNanos = try time(since, "--since")
        let untilNanos = try time(until, "--until")
        do throws(DumpError) {
            return try SpanFilter(
                trace: override ?? trace, session: session, user: user, nameContains: name,
                sinceUnixNanos: sinceNanos, untilUnixNanos: untilNanos, errorsOnly: errors)
        } catch {
            throw ValidationError(error.message)
        }
    }
}
