/// `opentelemetry.proto.trace.v1.Span.Link`: trace_id=1, span_id=2, trace_state=3,
/// attributes=4, dropped_attributes_count=5, flags=6 fixed32.
public struct OTLPLink: Sendable, Equatable {
    /// Linked trace id (16 bytes when valid; not validated).
    public var traceID: [UInt8]
    /// Linked span id (8 bytes when valid; not validated).
    public var spanID: [UInt8]
    /// W3C trace-state of the linked span.
    public var traceState: String
    /// Link attributes.
    public var attributes: [OTLPKeyValue]
    /// Number of attributes dropped by limits.
    public var droppedAttributesCount: UInt32
    /// W3C trace flags (low 8 bits) plus OTLP context flags (bits 8-9).
    public var flags: UInt32

    /// Creates a link.
    @inlinable
    public init(
        traceID: [UInt8] = [], spanID: [UInt8] = [], traceState: String = "", attributes: [OTLPKeyValue] = [],
        droppedAttributesCount: UInt32 = 0, flags: UInt32 = 0
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceState = traceState
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.flags = flags
    }

    /// Appends the `Link` message contents (without tag or length), omitting proto3 defaults.
    public func encodeBody(into writer: inout ProtobufWriter) {
        if !traceID.isEmpty { writer.appendLengthDelimited(field: 1, bytes: traceID) }
        if !spanID.isEmpty { writer.appendLengthDelimited(field: 2, bytes: spanID) }
        if !traceState.isEmpty { writer.appendString(field: 3, traceState) }
        attributes.encodeAttributes(field: 4, into: &writer)
        if droppedAttributesCount != 0 { writer.appendVarintField(field: 5, UInt64(droppedAttributesCount)) }
        if flags != 0 { writer.appendFixed32Field(field: 6, flags) }
    }

    init(reader r: inout ProtobufReader) throws(OTLPDecodingError) {
        self.init()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited): traceID = try r.readBytes()
            case (2, .lengthDelimited): spanID = try r.readBytes()
            case (3, .lengthDelimited): traceState = try r.readString()
            case (4, .lengthDelimited): try attributes.appendDecoded(from: &r)
            case (5, .varint): droppedAttributesCount = UInt32(truncatingIfNeeded: try r.readVarint())
            case (6, .fixed32): flags = try r.readFixed32()
            default: try r.skip(tag)
            }
        }
    }
}
