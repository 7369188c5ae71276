import SpoolFormat
import Tracing

// Which attributes the encoder's stack-assembled writers must not write as they are. Those writers
// (`writeKeyValue`) copy values without scanning them, only noting a string long enough to hold a credential; their
// callers ask here (before they write, for key patterns; after, for such a string) and take the general path, which
// redacts (`appendKeyValue`, `appendLimitedString`), when the answer is yes. No call is made among the writes: a
// call there that the compiler cannot see into makes it copy (retain and release) every value the loops borrow,
// about 500 instructions per typical span (measured with `cg.sh typical`).
extension SpanRecordEncoder {
    /// Whether an attribute of the span (its typed `list`, its `dictionary`, the leading attributes of its `type`) has
    /// a key redacted whole or a string value that holds a credential.
    @inline(__always)
    func needsKeyRedaction(list: UnsafeBufferPointer<SpoolAttribute>, dictionary: SpanAttributes?, type: SpanType?)
        -> Bool
    {
        scanForRedaction(list: list, dictionary: dictionary, type: type)
    }

    /// Whether a string value of the typed `list` or the `dictionary` holds a credential.
    @inline(__always)
    func valuesNeedRedaction(list: UnsafeBufferPointer<SpoolAttribute>, dictionary: SpanAttributes?) -> Bool {
        scanForRedaction(list: list, dictionary: dictionary, type: nil)
    }

    @inline(never)
    private func scanForRedaction(
        list: UnsafeBufferPointer<SpoolAttribute>, dictionary: SpanAttributes?, type: SpanType?
    ) -> Bool {
        if redactsKeys, type != nil,
            redactor.redactsKey(AttributeNames.spanType) || redactor.redactsKey(AttributeNames.openInferenceKind)
        {
            return true
        }
        for entry in list {
            if case .string(let s) = entry.stored, holdsCredential(s) { return true }
            if redactsKeys, redactor.redactsKey(entry.key) { return true }
        }
        var found = false
        dictionary?.forEach { key, value in
            guard !found else { return }
            if case .string(let s) = value, holdsCredential(s) { found = true }
            if redactsKeys, redactor.redactsKey(key) { found = true }
        }
        return found
    }

    /// Whether the attribute `key` = `value` needs the general path's redaction.
    @inline(__always)
    func needsRedaction(_ key: String, _ value: SpanAttribute) -> Bool {
        guard scansValues || redactsKeys else { return false }
        if case .string(let s) = value, holdsCredential(s) { return true }
        return redactsKeys && redactor.redactsKey(key)
    }

    /// Whether `s` holds a credential (false when values are not scanned, or `s` is too short to hold one).
    @inline(__always)
    func holdsCredential(_ s: String) -> Bool {
        scansValues && CredentialScanner.containsCredential(s)
    }
}
