import Logging
import Synchronization

/// Applies a tracer's `RedactionConfiguration`: decides which keys are redacted whole, replaces credentials inside
/// values (`CredentialScanner`), counts every redacted value and logs the first redaction once.
///
/// The encoder calls it while it holds a thread buffer's lock, where logging could re-enter the tracer: there it only
/// notes the redaction (`deferLog`), and the tracer logs it after the lock (`logFirstRedactionIfPending()`).
final class Redactor: Sendable {
    /// The key patterns (empty: no key is redacted whole).
    let keyPatterns: [RedactionKeyPattern]
    /// Whether values are scanned for credential shapes.
    let scansValues: Bool
    private let logger: Logger
    private let redacted = Atomic<Int>(0)
    /// 0 before the first redaction; then the first rule's code (`CredentialShape.rawValue`, or `keyRule`), with
    /// `logged` set once it has been logged.
    private let firstRule = Atomic<UInt8>(0)

    /// What replaces the whole value of an attribute whose key matches a pattern.
    static let keyMarker = "[REDACTED]"
    private static let keyRule: UInt8 = 0x7F
    private static let logged: UInt8 = 0x80

    /// A redactor for `configuration`, logging to `logger`.
    init(_ configuration: RedactionConfiguration, logger: Logger) {
        self.keyPatterns = configuration.keys.map(RedactionKeyPattern.init)
        self.scansValues = configuration.credentialShapes
        self.logger = logger
    }

    /// Values redacted since the tracer started.
    var valuesRedacted: Int { redacted.load(ordering: .relaxed) }

    /// Whether the value of the attribute `key` is redacted whole.
    func redactsKey(_ key: String) -> Bool {
        !keyPatterns.isEmpty && keyPatterns.contains { $0.matches(key) }
    }

    /// Whether `value` holds a credential that `redact(_:deferLog:)` would replace (false when values are not
    /// scanned).
    func holdsCredential(_ value: String) -> Bool {
        scansValues && CredentialScanner.containsCredential(value)
    }

    /// `value` with every credential replaced by its marker (the same string when there is none, or when values are
    /// not scanned). Counts one redacted value when something was replaced; logs the first one unless `deferLog`.
    func redact(_ value: String, deferLog: Bool = false) -> String {
        guard scansValues, value.utf8.count >= CredentialScanner.minimumMatchBytes else { return value }
        var value = value
        let result: (String, CredentialShape)? = value.withUTF8 { bytes in
            guard var match = CredentialScanner.firstMatch(in: bytes) else { return nil }
            let first = match.shape
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var copied = 0
            while true {
                out.append(contentsOf: bytes[copied..<match.start])
                let marker = match.shape.marker
                out.append(contentsOf: UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount))
                copied = match.end
                guard let next = CredentialScanner.firstMatch(in: bytes, from: copied) else { break }
                match = next
            }
            out.append(contentsOf: bytes[copied...])
            return (String(decoding: out, as: UTF8.self), first)
        }
        guard let (redactedValue, shape) = result else { return value }
        note(shape.rawValue, deferLog: deferLog)
        return redactedValue
    }

    /// Counts a value redacted whole because of its key; logs it when it is the first redaction, unless `deferLog`.
    func noteKeyRedaction(deferLog: Bool = false) {
        note(Self.keyRule, deferLog: deferLog)
    }

    private func note(_ rule: UInt8, deferLog: Bool) {
        redacted.add(1, ordering: .relaxed)
        if firstRule.load(ordering: .relaxed) == 0 {
            _ = firstRule.compareExchange(expected: 0, desired: rule, ordering: .relaxed)
        }
        if !deferLog { logFirstRedactionIfPending() }
    }

    /// Whether a redaction happened that is not logged yet (one atomic load).
    @inline(__always)
    var hasUnloggedRedaction: Bool {
        let state = firstRule.load(ordering: .relaxed)
        return state != 0 && state & Self.logged == 0
    }

    /// Logs the first redaction (a warning naming its rule, never the value), once per tracer.
    func logFirstRedactionIfPending() {
        guard hasUnloggedRedaction else { return }
        let old = firstRule.bitwiseOr(Self.logged, ordering: .relaxed).oldValue
        guard old & Self.logged == 0 else { return }
        let rule = CredentialShape(rawValue: old).map { "credential shape \($0.name)" } ?? "attribute key pattern"
        logger.warning(
            "TraceSpool redacted a value before writing it (rule: \(rule)); further redactions are counted in statistics.valuesRedacted, not logged"
        )
    }
}
