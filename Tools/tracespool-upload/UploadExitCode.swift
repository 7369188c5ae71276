/// Exit statuses of `tracespool-upload`, documented in `Docs/Uploader.md` ("Exit codes").
enum UploadExitCode {
    /// Everything read was delivered.
    static let success: Int32 = 0
    /// Usage or configuration error.
    static let configuration: Int32 = 1
    /// `--once` was given a spool path that does not exist or is not a directory; nothing was created or sent.
    static let missingSpool: Int32 = 2
    /// Partial delivery: something was deferred (backend unreachable), dead-lettered, rejected by the backend,
    /// or damaged in the spool. Details are in the summary line.
    static let partial: Int32 = 3
}
