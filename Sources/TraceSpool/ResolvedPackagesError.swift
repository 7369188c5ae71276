/// Why a `Package.resolved` could not be read.
public enum ResolvedPackagesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not JSON (the parser's message); check the path points at `Package.resolved`.
    case notJSON(String)
    /// The top-level `version` is not 1, 2 or 3 (the value found, or `none`); a newer SwiftPM wrote it: pass the
    /// pins as `[ResolvedPackage]` instead.
    case unknownFormatVersion(String)
    /// The document has no `pins` array where its format version puts it.
    case missingPins
    /// A pin has neither an identity nor a location.
    case pinWithoutIdentity

    /// What went wrong, for logs and the `…error` attribute.
    public var description: String {
        switch self {
        case .notJSON(let message): "Package.resolved is not JSON: \(message)"
        case .unknownFormatVersion(let version): "Package.resolved has unknown format version \(version)"
        case .missingPins: "Package.resolved has no pins array"
        case .pinWithoutIdentity: "Package.resolved has a pin without identity or location"
        }
    }
}
