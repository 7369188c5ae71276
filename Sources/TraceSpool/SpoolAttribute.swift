public import Tracing

/// One span attribute: a key and a swift-distributed-tracing `SpanAttribute` value. Pass an array of them to
/// `SpoolTracer.startSpan(_:context:ofKind:attributes:)` to create a span with its attributes in one step (no lock,
/// the array itself becomes the span's attribute storage).
public struct SpoolAttribute: Sendable {
    /// The attribute name, e.g. `http.request.method`.
    public var key: String
    /// The value in TraceSpool's compact form (see `StoredAttributeValue`).
    @usableFromInline var stored: StoredAttributeValue

    /// The value.
    public var value: SpanAttribute {
        get { stored.spanAttribute }
        set { stored = StoredAttributeValue(newValue) }
    }

    /// Creates an attribute.
    @inlinable @inline(__always)
    public init(_ key: String, _ value: consuming SpanAttribute) {
        self.key = key
        self.stored = StoredAttributeValue(value)
    }

    @inlinable
    init(_ key: String, stored: StoredAttributeValue) {
        self.key = key
        self.stored = stored
    }

    /// A string attribute.
    @inlinable
    public static func string(_ key: String, _ value: String) -> SpoolAttribute {
        SpoolAttribute(key, stored: .string(value))
    }

    /// An integer attribute.
    @inlinable
    public static func int(_ key: String, _ value: Int) -> SpoolAttribute {
        SpoolAttribute(key, stored: .int64(Int64(value)))
    }

    /// A floating-point attribute.
    @inlinable
    public static func double(_ key: String, _ value: Double) -> SpoolAttribute {
        SpoolAttribute(key, stored: .double(value))
    }

    /// A boolean attribute.
    @inlinable
    public static func bool(_ key: String, _ value: Bool) -> SpoolAttribute {
        SpoolAttribute(key, stored: .bool(value))
    }
}
