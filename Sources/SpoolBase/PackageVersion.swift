/// The version of the TraceSpool package: the tracer's instrumentation scope version and every tool's `--version`.
package enum PackageVersion {
    /// The version, as in CHANGELOG.md.
    package static let current = "0.1.0"
}
