/// `opentelemetry.proto.trace.v1.Status`.
package struct OTLPStatus: Sendable, Equatable {
    /// Developer-facing status message; empty when absent.
    package var message: String
    /// The status code.
    package var code: OTLPStatusCode

    /// Creates a status.
    @inlinable
    package init(code: OTLPStatusCode = .unset, message: String = "") {
        self.code = code
        self.message = message
    }

    /// Whether both fields hold their proto3 defaults (the span then omits the status field).
    @inlinable
    package var isDefault: Bool { code == .unset && message.isEmpty }

    /// Appends the `Status` message contents (without tag or length), omitting default fields.
    @inlinable
    package func encodeBody(into writer: inout ProtobufWriter) {
        if !message.isEmpty { writer.appendString(field: OTLPField.Status.message, message) }
        if code.rawValue != 0 { writer.appendInt32Field(field: OTLPField.Status.code, code.rawValue) }
    }

    init(reader r: inout ProtobufReader) throws(OTLPDecodingError) {
        self.init()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch (tag.field, tag.wireType) {
            case (OTLPField.Status.message, .lengthDelimited): message = try r.readString()
            case (OTLPField.Status.code, .varint):
                code = OTLPStatusCode(rawValue: Int32(truncatingIfNeeded: try r.readVarint()))
            default: try r.skip(tag)
            }
        }
    }
}
