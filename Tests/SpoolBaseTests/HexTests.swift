import SpoolBase
import Testing

@Suite("Hex")
struct HexTests {
    @Test func roundTrip() {
        let bytes: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xAB, 0xFF]
        #expect(Hex.string(of: bytes) == "00017f80abff")
        #expect(Hex.bytes(fromHex: "00017f80abff") == bytes)
        #expect(Hex.bytes(fromHex: "00017F80ABFF") == bytes)
        #expect(Hex.string(of: [UInt8]()) == "")
        #expect(Hex.bytes(fromHex: "") == [])
        #expect(Hex.bytes(fromHex: "abc"[...]) == nil)
    }

    @Test("invalid hex is rejected", arguments: ["0", "0g", "zz", " 00", "00 ", "0x00", "é0", "+1"])
    func invalid(_ text: String) {
        #expect(Hex.bytes(fromHex: text) == nil)
    }

    @Test func allByteValues() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(Hex.bytes(fromHex: Hex.string(of: bytes)) == bytes)
    }

    @Test func fixedWidthNumbers() {
        #expect(Hex.string(0x7453_706F_6F6C_7631) == "7453706f6f6c7631")
        #expect(Hex.string(0xAB, digits: 4) == "00ab")
        #expect(Hex.string(0x1_0000_00AB, digits: 8) == "000000ab", "only the low digits")
        #expect(Hex.string(UInt64.max, digits: 99) == "ffffffffffffffff", "clamped to 16 digits")
        #expect(Hex.parseUInt64(Array("7453706F6f6c7631".utf8)) == 0x7453_706F_6F6C_7631)
        #expect(Hex.parseUInt64(Array("ff".utf8)) == 255)
        #expect(Hex.parseUInt64([UInt8]()) == nil)
        #expect(Hex.parseUInt64(Array("00000000000000001".utf8)) == nil, "17 digits overflow")
        #expect(Hex.parseUInt64(Array("0x1".utf8)) == nil)
    }

    @Test func digitsAndAppending() {
        #expect((0...15).map { Hex.digit(UInt8($0)) } == Array("0123456789abcdef".utf8))
        var out = Array("id=".utf8)
        Hex.appendHex(of: [0xDE, 0xAD], to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "id=dead")
    }
}
