import OTLPWire
import Testing

@Suite("Hex")
struct OTLPHexTests {
    @Test func roundTrip() {
        let bytes: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xAB, 0xFF]
        #expect(OTLPHex.hexString(of: bytes) == "00017f80abff")
        #expect(OTLPHex.bytes(fromHex: "00017f80abff") == bytes)
        #expect(OTLPHex.bytes(fromHex: "00017F80ABFF") == bytes)
        #expect(OTLPHex.hexString(of: [UInt8]()) == "")
        #expect(OTLPHex.bytes(fromHex: "") == [])
        #expect(OTLPHex.bytes(fromHex: "abc"[...]) == nil)
    }

    @Test("invalid hex is rejected", arguments: ["0", "0g", "zz", " 00", "00 ", "0x00", "é0", "+1"])
    func invalid(_ text: String) {
        #expect(OTLPHex.bytes(fromHex: text) == nil)
    }

    @Test func allByteValues() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(OTLPHex.bytes(fromHex: OTLPHex.hexString(of: bytes)) == bytes)
    }
}
