import TraceSpoolDump
import TraceSpoolStore

extension DumpError {
    /// What went wrong and what to do next, for standard error.
    var message: String {
        switch self {
        case .inputNotFound(let path): Self.notFound(path)
        case .spool(let error): error.description
        case .invalidTraceID(let trace):
            "--trace \(trace): expected a trace id or a prefix of one in hex (up to 32 digits)"
        case .traceNotFound(let id):
            "no span of trace \(id) in the spool; list trace ids with `tracespool-dump spans` or `tree`"
        case .store(.notAFile(let path)): Self.notFound(path)
        case .store(.sqlite(let path, let operation, _, let message)):
            "\(path): cannot \(Self.describe(operation)) of the SQLite trace store: \(message); check that it is the "
                + "store `tracespool-upload --sqlite` writes and that it is readable"
        case .store(let error): error.description
        case .notASpool(let path, let command):
            "\(path) is a SQLite file, not a spool: `\(command)` works on spools; spans/tree/trace read the "
                + "uploader's SQLite store"
        case .notSpoolData(let path, .notAFileOrDirectory(let kind)):
            "\(path) is \(kind), not a spool directory or segment file; pass a spool directory (TRACESPOOL_DIR) or "
                + "one `.seg`/`.open` file"
        case .notSpoolData(let path, .directoryWithoutSpoolFiles(let entries)):
            "\(path) is not a spool directory: none of its \(entries) entr\(entries == 1 ? "y is a segment" : "ies is a segment") "
                + "(`<created>-<host>-<pid>-<random>.seg`/`.open`) or a file of the spool's tools; pass the "
                + "directory the tracer writes to (TRACESPOOL_DIR)"
        case .notSpoolData(let path, .notASegment(let problem)):
            "\(path) is not a spool segment file (\(problem)); pass a spool directory (TRACESPOOL_DIR), one "
                + "`.seg`/`.open` file, or (spans/tree/trace) the uploader's SQLite store"
        }
    }

    private static func notFound(_ path: String) -> String {
        "\(path): no such spool directory or segment file; pass a spool directory (TRACESPOOL_DIR) or one "
            + "`.seg`/`.open` file"
    }

    /// A read of the store in the words of the message above (`cannot <operation> of the SQLite trace store`).
    private static func describe(_ operation: StoreError.Operation) -> String {
        switch operation {
        case .open: "open"
        case .readColumns, .prepareRead: "read the spans table"
        case .readRow: "read a row"
        case .execute, .prepareInsert, .insert: operation.description
        }
    }
}
