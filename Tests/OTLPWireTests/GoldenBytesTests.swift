import OTLPWire
import SpoolBase
import Testing

@Suite("Golden bytes")
struct GoldenBytesTests {
    /// Produced by the official Python protobuf library:
    /// `python3 Tests/OTLPWireTests/Python/golden_span.py` (opentelemetry-proto 1.45.2, protobuf 7.36.2),
    /// which builds the same span as `Fixtures.goldenSpan` and prints `SerializeToString().hex()`.
    static let goldenHex = [
        "0a100102030405060708090a0b0c0d0e0f101208a1a2a3a4a5a6a7a81a03613d622208b1b2b3b4b5b6b7b82a0a474554",
        "202f757365727330023900002a36fe9c97174115cd853dfe9c97174a140a0b687474702e6d6574686f6412050a034745",
        "544a170a10687474702e7374617475735f636f6465120318c8014a0b0a057265747279120210014a120a05726174696f",
        "120921000000000000e03f4a120a036e6567120b18ffffffffffffffffff014a120a03617272120b2a090a0218010a03",
        "0a01784a190a036b766c121232100a0e0a05696e6e657212053a030001ff4a0f0a05c3bc6ec3af12060a04f09f988050",
        "015a1709f4012a36fe9c971712036576741a070a01611202180160026a260a100102030405060708090a0b0c0d0e0f10",
        "1208c1c2c3c4c5c6c7c81a036b3d76350100000070037a081204626f6f6d1802850101030000",
    ].joined()

    @Test func encodingMatchesPythonProtobuf() {
        let encoded = Fixtures.goldenSpan.serialized()
        #expect(Hex.string(of: encoded) == Self.goldenHex)
    }

    @Test func decodingPythonBytesGivesFixture() throws {
        #expect(try OTLPSpan(decoding: hex(Self.goldenHex)) == Fixtures.goldenSpan)
    }

    @Test func encodingIntoReusedWriterMatches() {
        var writer = ProtobufWriter(capacity: 16)
        writer.appendString(field: 1, "garbage")
        writer.reset()
        Fixtures.goldenSpan.encode(into: &writer)
        #expect(writer.bytes == hex(Self.goldenHex))
    }
}
