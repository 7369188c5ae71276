/// An `errno` value as an `Error`, for results of descriptor-level calls that have no path to report.
package struct POSIXErrno: Error, Sendable, Equatable {
    /// The errno value.
    package var code: Int32

    /// Wraps `code`.
    package init(code: Int32) { self.code = code }
}
