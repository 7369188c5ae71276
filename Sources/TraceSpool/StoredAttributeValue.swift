public import Tracing

/// An attribute value as TraceSpool stores it: strings, integers, doubles and bools inline, anything else boxed.
/// Copying a `SpanAttribute` goes through its value witness (its `stringConvertible` case holds an existential),
/// which cost ~80 instructions per copy on the hot path; this enum copies like a `String`.
@usableFromInline
enum StoredAttributeValue: Sendable {
    case string(String)
    case int64(Int64)
    case double(Double)
    case bool(Bool)
    /// Any other `SpanAttribute` (arrays, `int32`, `stringConvertible`...), unchanged.
    case other(Boxed)

    /// A `SpanAttribute` of another kind, shared immutably.
    @usableFromInline
    final class Boxed: Sendable {
        @usableFromInline let value: SpanAttribute

        @usableFromInline
        init(_ value: SpanAttribute) { self.value = value }
    }

    /// Converts a `SpanAttribute` (folded away when inlined with a literal case).
    @inlinable @inline(__always)
    init(_ value: consuming SpanAttribute) {
        // Consumed, so the payload moves out: switching over a borrowed `SpanAttribute` copies it whole first.
        switch consume value {
        case .string(let s): self = .string(s)
        case .int64(let i): self = .int64(i)
        case .double(let d): self = .double(d)
        case .bool(let b): self = .bool(b)
        case let other: self = .other(Boxed(other))
        }
    }

    /// The value as a `SpanAttribute`.
    @inlinable
    var spanAttribute: SpanAttribute {
        switch self {
        case .string(let s): .string(s)
        case .int64(let i): .int64(i)
        case .double(let d): .double(d)
        case .bool(let b): .bool(b)
        case .other(let boxed): boxed.value
        }
    }
}
