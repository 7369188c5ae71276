/// The error thrown when protobuf bytes cannot be decoded.
///
/// Decoders never trap on any input and never allocate more than a small constant multiple of
/// the input size (length prefixes are checked against the remaining input before use); they
/// stop at the first problem and throw this error.
package struct OTLPDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why decoding failed.
    package enum Reason: Sendable, Equatable {
        /// The input ended in the middle of a tag, varint, fixed-width value or length-delimited payload.
        case truncated
        /// A varint was longer than 10 bytes or overflowed 64 bits.
        case malformedVarint
        /// A tag carried field number 0 or a number above 536,870,911.
        case invalidFieldNumber(UInt64)
        /// A tag carried wire type 6 or 7.
        case invalidWireType(UInt8)
        /// A length prefix claimed more bytes (`claimed`) than remain in the enclosing message (`available`).
        case lengthExceedsInput(claimed: UInt64, available: Int)
        /// Messages (or groups) were nested deeper than `limit` levels.
        case nestingTooDeep(limit: Int)
        /// An end-group tag appeared without a matching start-group tag.
        case unexpectedEndGroup
    }

    /// Byte offset (from the start of the decoded input) at which the problem was detected.
    package var offset: Int
    /// Why decoding failed.
    package var reason: Reason

    /// Creates an error for `reason` detected at byte `offset`.
    package init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    /// A human-readable description: the offset and the reason.
    package var description: String {
        let what: String
        switch reason {
        case .truncated:
            what = "input truncated"
        case .malformedVarint:
            what = "malformed varint (more than 10 bytes or 64-bit overflow)"
        case .invalidFieldNumber(let n):
            what = "invalid field number \(n)"
        case .invalidWireType(let t):
            what = "invalid wire type \(t)"
        case .lengthExceedsInput(let claimed, let available):
            what = "length prefix \(claimed) exceeds the \(available) remaining bytes"
        case .nestingTooDeep(let limit):
            what = "message nesting deeper than \(limit) levels"
        case .unexpectedEndGroup:
            what = "unexpected end-group tag"
        }
        return "OTLP protobuf decoding failed at byte offset \(offset): \(what)"
    }
}
