/// `opentelemetry.proto.trace.v1.Span` as a plain value.
package struct OTLPSpan: Sendable, Equatable {
    /// Trace id (16 bytes when valid; the codec does not enforce the length).
    package var traceID: [UInt8]
    /// Span id (8 bytes when valid; the codec does not enforce the length).
    package var spanID: [UInt8]
    /// W3C trace-state header value.
    package var traceState: String
    /// Parent span id; empty for a root span.
    package var parentSpanID: [UInt8]
    /// W3C trace flags (low 8 bits) plus OTLP context flags (bits 8-9).
    package var flags: UInt32
    /// Span name.
    package var name: String
    /// Span kind.
    package var kind: OTLPSpanKind
    /// Start time in nanoseconds since the Unix epoch.
    package var startTimeUnixNano: UInt64
    /// End time in nanoseconds since the Unix epoch.
    package var endTimeUnixNano: UInt64
    /// Span attributes.
    package var attributes: [OTLPKeyValue]
    /// Number of attributes dropped by limits.
    package var droppedAttributesCount: UInt32
    /// Timed events.
    package var events: [OTLPEvent]
    /// Number of events dropped by limits.
    package var droppedEventsCount: UInt32
    /// Links to other spans.
    package var links: [OTLPLink]
    /// Number of links dropped by limits.
    package var droppedLinksCount: UInt32
    /// Final status; omitted from the encoding when it is the default (unset, no message).
    package var status: OTLPStatus

    /// Creates a span; every field defaults to its proto3 default.
    package init(
        traceID: [UInt8] = [],
        spanID: [UInt8] = [],
        traceState: String = "",
        parentSpanID: [UInt8] = [],
        flags: UInt32 = 0,
        name: String = "",
        kind: OTLPSpanKind = .unspecified,
        startTimeUnixNano: UInt64 = 0,
        endTimeUnixNano: UInt64 = 0,
        attributes: [OTLPKeyValue] = [],
        droppedAttributesCount: UInt32 = 0,
        events: [OTLPEvent] = [],
        droppedEventsCount: UInt32 = 0,
        links: [OTLPLink] = [],
        droppedLinksCount: UInt32 = 0,
        status: OTLPStatus = OTLPStatus()
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceState = traceState
        self.parentSpanID = parentSpanID
        self.flags = flags
        self.name = name
        self.kind = kind
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.events = events
        self.droppedEventsCount = droppedEventsCount
        self.links = links
        self.droppedLinksCount = droppedLinksCount
        self.status = status
    }

    /// Appends the `Span` message contents (no outer tag or length) to `writer`, in field-number
    /// order, omitting proto3 default values — byte-identical to the official encoders.
    package func encode(into writer: inout ProtobufWriter) {
        if !traceID.isEmpty { writer.appendLengthDelimited(field: OTLPField.Span.traceID, bytes: traceID) }
        if !spanID.isEmpty { writer.appendLengthDelimited(field: OTLPField.Span.spanID, bytes: spanID) }
        if !traceState.isEmpty { writer.appendString(field: OTLPField.Span.traceState, traceState) }
        if !parentSpanID.isEmpty {
            writer.appendLengthDelimited(field: OTLPField.Span.parentSpanID, bytes: parentSpanID)
        }
        if !name.isEmpty { writer.appendString(field: OTLPField.Span.name, name) }
        if kind.rawValue != 0 { writer.appendInt32Field(field: OTLPField.Span.kind, kind.rawValue) }
        if startTimeUnixNano != 0 {
            writer.appendFixed64Field(field: OTLPField.Span.startTimeUnixNano, startTimeUnixNano)
        }
        if endTimeUnixNano != 0 { writer.appendFixed64Field(field: OTLPField.Span.endTimeUnixNano, endTimeUnixNano) }
        attributes.encodeAttributes(field: OTLPField.Span.attributes, into: &writer)
        if droppedAttributesCount != 0 {
            writer.appendVarintField(field: OTLPField.Span.droppedAttributesCount, UInt64(droppedAttributesCount))
        }
        for event in events {
            writer.appendMessage(field: OTLPField.Span.events) { event.encodeBody(into: &$0) }
        }
        if droppedEventsCount != 0 {
            writer.appendVarintField(field: OTLPField.Span.droppedEventsCount, UInt64(droppedEventsCount))
        }
        for link in links {
            writer.appendMessage(field: OTLPField.Span.links) { link.encodeBody(into: &$0) }
        }
        if droppedLinksCount != 0 {
            writer.appendVarintField(field: OTLPField.Span.droppedLinksCount, UInt64(droppedLinksCount))
        }
        if !status.isDefault {
            writer.appendMessage(field: OTLPField.Span.status) { status.encodeBody(into: &$0) }
        }
        if flags != 0 { writer.appendFixed32Field(field: OTLPField.Span.flags, flags) }
    }

    /// Encodes this span as a standalone `Span` message.
    package func serialized() -> [UInt8] {
        var writer = ProtobufWriter(capacity: 256)
        encode(into: &writer)
        return writer.bytes
    }

    /// Decodes a `Span` message from `bytes`.
    ///
    /// Unknown fields (and known fields with an unexpected wire type) are skipped. Repeated
    /// fields accumulate; for singular fields the last occurrence wins.
    /// - Throws: ``OTLPDecodingError`` for truncated or malformed input, lengths exceeding the
    ///   input, or nesting deeper than 32 messages. Never traps and never allocates more than
    ///   a small multiple of the input size.
    package init<C: Collection<UInt8>>(decoding bytes: C) throws(OTLPDecodingError) {
        self = try withProtobufReader(bytes) { (r: inout ProtobufReader) throws(OTLPDecodingError) in
            try OTLPSpan(reader: &r)
        }
    }

    /// Decodes a `Span` message from raw memory, with the same rules as the generic overload.
    /// - Throws: ``OTLPDecodingError`` on malformed input.
    package init(decoding buffer: UnsafeRawBufferPointer) throws(OTLPDecodingError) {
        var r = ProtobufReader(buffer)
        try self.init(reader: &r)
    }

    init(reader r: inout ProtobufReader) throws(OTLPDecodingError) {
        self.init()
        while !r.isAtEnd {
            let tag = try r.readTag()
            switch (tag.field, tag.wireType) {
            case (OTLPField.Span.traceID, .lengthDelimited): traceID = try r.readBytes()
            case (OTLPField.Span.spanID, .lengthDelimited): spanID = try r.readBytes()
            case (OTLPField.Span.traceState, .lengthDelimited): traceState = try r.readString()
            case (OTLPField.Span.parentSpanID, .lengthDelimited): parentSpanID = try r.readBytes()
            case (OTLPField.Span.name, .lengthDelimited): name = try r.readString()
            case (OTLPField.Span.kind, .varint):
                kind = OTLPSpanKind(rawValue: Int32(truncatingIfNeeded: try r.readVarint()))
            case (OTLPField.Span.startTimeUnixNano, .fixed64): startTimeUnixNano = try r.readFixed64()
            case (OTLPField.Span.endTimeUnixNano, .fixed64): endTimeUnixNano = try r.readFixed64()
            case (OTLPField.Span.attributes, .lengthDelimited): try attributes.appendDecoded(from: &r)
            case (OTLPField.Span.droppedAttributesCount, .varint):
                droppedAttributesCount = UInt32(truncatingIfNeeded: try r.readVarint())
            case (OTLPField.Span.events, .lengthDelimited):
                var sub = try r.readMessage()
                events.append(try OTLPEvent(reader: &sub))
            case (OTLPField.Span.droppedEventsCount, .varint):
                droppedEventsCount = UInt32(truncatingIfNeeded: try r.readVarint())
            case (OTLPField.Span.links, .lengthDelimited):
                var sub = try r.readMessage()
                links.append(try OTLPLink(reader: &sub))
            case (OTLPField.Span.droppedLinksCount, .varint):
                droppedLinksCount = UInt32(truncatingIfNeeded: try r.readVarint())
            case (OTLPField.Span.status, .lengthDelimited):
                // Last occurrence wins (proto3 would merge field-wise; encoders never repeat it).
                var sub = try r.readMessage()
                status = try OTLPStatus(reader: &sub)
            case (OTLPField.Span.flags, .fixed32): flags = try r.readFixed32()
            default: try r.skip(tag)
            }
        }
    }
}
