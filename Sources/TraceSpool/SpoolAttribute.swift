public import Tracing

/// One span attribute: a key and a swift-distributed-tracing `SpanAttribute` value. Pass an array of them to
/// `SpoolTracer.startSpan(_:context:ofKind:attributes:)` to create a span with its attributes in one step (no lock,
/// the array itself becomes the span's attribute storage).
public struct SpoolAttribute: Sendable {
    /// The attribute name, e.g. `http.request.method`.
    public var key: String
    /// The value in TraceSpool's compact form (see `StoredAttributeValue`).
    @usableFromInline var stored: StoredAttributeValue
    /// What the tracer knows about this entry beyond its key and value (nothing for an entry a user makes).
    @usableFromInline var marks: Marks

    /// What the tracer knows about an entry of a span's attribute list, so that the encoder can skip work.
    @usableFromInline
    struct Marks: OptionSet, Sendable {
        @usableFromInline let rawValue: UInt8

        @inlinable
        init(rawValue: UInt8) { self.rawValue = rawValue }

        /// No other entry of the list marked `distinctKey` has this key: the entry comes from the first bulk set of
        /// an `AttributeGroup`, whose keys no other group uses (see `SpanStorage.set(contentsOf:group:)`).
        @inlinable static var distinctKey: Marks { Marks(rawValue: 1) }
        /// The value is a string the span's redactor has already redacted (`Redactor.redact(_:deferLog:)`): the
        /// encoder does not scan it for credentials again.
        @inlinable static var redacted: Marks { Marks(rawValue: 2) }
    }

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
        // Set here rather than as the property's default value, which is a call the inlined initializer would make.
        self.marks = Marks(rawValue: 0)
    }

    @inlinable
    init(_ key: String, stored: StoredAttributeValue) {
        self.key = key
        self.stored = stored
        self.marks = Marks(rawValue: 0)
    }

    /// Takes `other`'s value, and whether it is redacted, keeping this entry's key and whether the key is distinct.
    mutating func replaceValue(with other: SpoolAttribute) {
        stored = other.stored
        marks = marks.subtracting(.redacted).union(other.marks.intersection(.redacted))
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
