import CSpoolSupport
import SpoolFormat
import SpoolTestSupport
import Testing

/// CRC-32C known answers (RFC 3720 appendix B.4 and the classic check value) and hardware == portable path.
@Suite struct CRC32CTests {
    @Test func knownAnswers() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(tracespool_crc32c_portable(0, "123456789", 9) == 0xE306_9283)
    }

    @Test func continuingEqualsConcatenation() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let a = rng.bytes(Int(rng.next() % 300))
            let b = rng.bytes(Int(rng.next() % 300))
            #expect(CRC32C.checksum(b, continuing: CRC32C.checksum(a)) == CRC32C.checksum(a + b))
        }
    }

    @Test func hardwareMatchesPortableOnRandomLengthsAndAlignments() {
        print("CRC32C hardware accelerated: \(CRC32C.isHardwareAccelerated)")
        var rng = SplitMix64(seed: 0xC4C3_2C)
        let buffer = rng.bytes(20_000)
        buffer.withUnsafeBytes { raw in
            for i in 0..<3000 {
                let start = Int(rng.next() % 64)
                let length = i % 10 == 0 ? Int(rng.next() % UInt64(raw.count - start)) : Int(rng.next() % 600)
                let slice = UnsafeRawBufferPointer(rebasing: raw[start..<start + length])
                let seed = i % 3 == 0 ? 0 : UInt32(truncatingIfNeeded: rng.next())
                let fast = CRC32C.checksum(slice, continuing: seed)
                let portable = tracespool_crc32c_portable(seed, slice.baseAddress, slice.count)
                #expect(fast == portable, "start \(start) length \(length) seed \(seed)")
            }
        }
    }
}
