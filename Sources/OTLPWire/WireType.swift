/// A protobuf wire type: the low three bits of a field tag. Public for the reason `ProtobufWriter` gives.
public enum WireType: UInt8, Sendable, Equatable {
    /// Base-128 varint (int32, int64, uint32, uint64, bool, enum).
    case varint = 0
    /// Eight little-endian bytes (fixed64, sfixed64, double).
    case fixed64 = 1
    /// Varint byte length followed by that many bytes (string, bytes, messages).
    case lengthDelimited = 2
    /// Deprecated group start; only ever skipped when decoding.
    case startGroup = 3
    /// Deprecated group end; only ever skipped when decoding.
    case endGroup = 4
    /// Four little-endian bytes (fixed32, sfixed32, float).
    case fixed32 = 5
}
