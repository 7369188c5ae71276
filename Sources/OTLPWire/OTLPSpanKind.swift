/// `opentelemetry.proto.trace.v1.Span.SpanKind`, an int32 enum.
///
/// Modelled as a raw-value struct so that values unknown to this module survive a
/// decode/encode round trip.
package struct OTLPSpanKind: RawRepresentable, Sendable, Equatable, Hashable {
    /// The protobuf enum number.
    package var rawValue: Int32
    /// Creates a kind from its protobuf enum number.
    @inlinable package init(rawValue: Int32) { self.rawValue = rawValue }

    /// `SPAN_KIND_UNSPECIFIED` (0).
    package static let unspecified = OTLPSpanKind(rawValue: 0)
    /// `SPAN_KIND_INTERNAL` (1).
    package static let `internal` = OTLPSpanKind(rawValue: 1)
    /// `SPAN_KIND_SERVER` (2).
    package static let server = OTLPSpanKind(rawValue: 2)
    /// `SPAN_KIND_CLIENT` (3).
    package static let client = OTLPSpanKind(rawValue: 3)
    /// `SPAN_KIND_PRODUCER` (4).
    package static let producer = OTLPSpanKind(rawValue: 4)
    /// `SPAN_KIND_CONSUMER` (5).
    package static let consumer = OTLPSpanKind(rawValue: 5)
}
