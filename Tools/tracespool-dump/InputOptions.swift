import ArgumentParser
import SpoolBase
import TraceSpoolDump

struct InputOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "A spool directory, one segment file, or (spans/tree/trace) the uploader's SQLite store "
                + "(default: $TRACESPOOL_DIR)."))
    var path: String?

    /// What `spans`, `tree` and `trace` read: a spool, or the uploader's SQLite store.
    enum Source {
        case spool(SpoolInput, [SpoolSegment])
        case store(SQLiteSpanSource)
    }

    private func givenPath() throws -> String {
        guard let p = path ?? ProcessEnvironment.value("TRACESPOOL_DIR") else {
            throw ValidationError("give a spool directory or segment file, or set TRACESPOOL_DIR")
        }
        return p
    }

    /// Resolves a spool or a SQLite store (a `.sqlite`/`.db` file or one with the SQLite header).
    func resolveSource() throws -> Source {
        let p = try givenPath()
        guard SQLiteSpanSource.isStore(path: p) else {
            let (input, segments) = try resolve()
            return .spool(input, segments)
        }
        do throws(DumpError) {
            return .store(try SQLiteSpanSource(path: p))
        } catch {
            StandardError.fail(error)
        }
    }

    /// Resolves a spool; `command` names the spool-only command for the usage error given a SQLite store.
    func resolve(command: String? = nil) throws -> (SpoolInput, [SpoolSegment]) {
        let p = try givenPath()
        if let command, SQLiteSpanSource.isStore(path: p) {
            StandardError.fail(.notASpool(path: p, command: command), code: .usage)
        }
        switch Self.open(p) {
        case .success(let resolved):
            var notes = DumpDiagnostics()
            for note in resolved.1.compactMap(\.foreignOwnerNote) { notes.add(note) }
            StandardError.report(notes)
            return resolved
        case .failure(let error): StandardError.fail(error)
        }
    }

    private static func open(_ path: String) -> Result<(SpoolInput, [SpoolSegment]), DumpError> {
        do throws(DumpError) {
            let input = try SpoolInput(path: path)
            return .success((input, try input.segments()))
        } catch {
            return .failure(error)
        }
    }
}
