/// `opentelemetry.proto.trace.v1.Status.StatusCode`, an int32 enum.
///
/// Modelled as a raw-value struct so that unknown values survive a round trip.
package struct OTLPStatusCode: RawRepresentable, Sendable, Equatable, Hashable {
    /// The protobuf enum number.
    package var rawValue: Int32
    /// Creates a status code from its protobuf enum number.
    @inlinable package init(rawValue: Int32) { self.rawValue = rawValue }

    /// `STATUS_CODE_UNSET` (0).
    package static let unset = OTLPStatusCode(rawValue: 0)
    /// `STATUS_CODE_OK` (1).
    package static let ok = OTLPStatusCode(rawValue: 1)
    /// `STATUS_CODE_ERROR` (2).
    package static let error = OTLPStatusCode(rawValue: 2)
}
