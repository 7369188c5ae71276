import SpoolBase

/// One resolved dependency of a Swift package, as SwiftPM pins it in `Package.resolved`.
public struct ResolvedPackage: Sendable, Hashable {
    /// The package identity (`swift-log`): the `identity` of format versions 2 and 3; for version 1, the last path
    /// component of the repository URL, lower-cased, without `.git` (how SwiftPM derives it).
    public var identity: String
    /// Where the package comes from (a repository URL or a path); nil when not given.
    public var location: String?
    /// The resolved version (`1.6.2`), nil for a pin on a branch or a revision.
    public var version: String?
    /// The branch a pin follows, if any.
    public var branch: String?
    /// The commit of the pin (hex), if given.
    public var revision: String?

    /// Creates a pin.
    public init(
        identity: String, location: String? = nil, version: String? = nil, branch: String? = nil,
        revision: String? = nil
    ) {
        self.identity = identity
        self.location = location
        self.version = version
        self.branch = branch
        self.revision = revision
    }

    /// `identity@version`; `identity@branch:<branch>:<revision>` for a branch pin, `identity@revision:<revision>`
    /// for a revision pin, `identity@unknown` when the pin has none of these.
    public var pinDescription: String {
        if let version { return "\(identity)@\(version)" }
        if let branch { return "\(identity)@branch:\(branch)" + (revision.map { ":\($0)" } ?? "") }
        if let revision { return "\(identity)@revision:\(revision)" }
        return "\(identity)@unknown"
    }

    /// The pins of a `Package.resolved` file (format versions 1, 2 and 3), sorted by identity. Embed the file in
    /// the app with a SwiftPM resource (`.embedInCode("Package.resolved")` gives `PackageResources.Package_resolved`,
    /// an array of bytes) and pass those bytes here or to `RunSnapshotOptions.embeddedPackageResolved`.
    ///
    /// - Throws: `ResolvedPackagesError` when the bytes are not JSON, the format version is unknown, or a pin lacks
    ///   its identity.
    public static func parse(packageResolved bytes: [UInt8]) throws(ResolvedPackagesError) -> [ResolvedPackage] {
        let document: JSONValue
        do { document = try JSONReader.parse(bytes) } catch { throw .notJSON(error.description) }
        let version = document.member("version").flatMap(Self.integer)
        let pins: JSONValue?
        switch version {
        case 1: pins = document.member("object")?.member("pins")
        case 2, 3: pins = document.member("pins")
        default: throw .unknownFormatVersion(version.map(String.init) ?? "none")
        }
        guard case .array(let entries)? = pins else { throw .missingPins }
        var packages: [ResolvedPackage] = []
        for entry in entries {
            let state = entry.member("state")
            let location = string(entry.member("location")) ?? string(entry.member("repositoryURL"))
            let identity = string(entry.member("identity")) ?? location.map(Self.identity(fromLocation:))
            guard let identity, !identity.isEmpty else { throw .pinWithoutIdentity }
            packages.append(
                ResolvedPackage(
                    identity: identity, location: location, version: string(state?.member("version")),
                    branch: string(state?.member("branch")), revision: string(state?.member("revision"))))
        }
        return packages.sorted { $0.identity < $1.identity }
    }

    /// SwiftPM's identity of a version-1 pin: the URL's last path component, lower-cased, without `.git`.
    static func identity(fromLocation location: String) -> String {
        var name = Substring(location)
        while name.hasSuffix("/") { name = name.dropLast() }
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == ":" }) { name = name[name.index(after: slash)...] }
        if name.hasSuffix(".git") { name = name.dropLast(4) }
        return name.lowercased()
    }

    private static func string(_ value: JSONValue?) -> String? {
        guard case .string(let s)? = value else { return nil }
        return s
    }

    private static func integer(_ value: JSONValue) -> Int? {
        guard case .number(let n) = value else { return nil }
        return Int(n.text)
    }
}
