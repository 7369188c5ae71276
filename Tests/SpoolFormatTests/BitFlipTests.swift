import SpoolFormat
import SpoolTestSupport
import Testing

/// One flipped bit anywhere in the frame area: the damaged frame is reported (at its offset, over exactly its
/// bytes), no frame with a changed payload is ever returned, and every other frame is salvaged. A flipped bit in the
/// segment header makes the whole segment unreadable (`badSegmentHeader`).
@Suite struct BitFlipTests {
    /// Flips bit `bit` of the sealed file (its seal frame included) and checks the read result; `fileName` decides
    /// open or sealed. A hit seal frame is damage, and in a `.seg` file the seal is then missing too.
    static func check(
        _ fx: TornTailTests.Fixture, bit: Int, path: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var bytes = fx.sealedBytes
        let byte = bit / 8
        bytes[byte] ^= UInt8(1 << (bit % 8))
        writeFile(path, bytes)
        let r = try readSegment(path)
        let sealHit = byte >= fx.sealOffset
        let k = sealHit ? fx.locations.count : try #require(fx.locations.lastIndex { $0.offset <= byte })
        let hitOffset = sealHit ? fx.sealOffset : fx.locations[k].offset
        let hitLength = sealHit ? bytes.count - fx.sealOffset : fx.locations[k].length
        let within = byte - hitOffset
        let reason: Damage.Reason =
            within < 4 ? .badMagic : within < FrameHeader.size ? .headerChecksumMismatch : .payloadChecksumMismatch
        let context = Comment(rawValue: "bit \(bit) (frame \(k), byte \(within) of \(hitLength))")
        var expectedDamages = [Damage(segment: path, offset: hitOffset, length: hitLength, reason: reason)]
        if sealHit, path.hasSuffix(".seg") {
            expectedDamages.append(Damage(segment: path, offset: bytes.count, length: 0, reason: .sealMissing))
        }
        #expect(r.damages == expectedDamages, context, sourceLocation: sourceLocation)
        #expect((r.seal == nil) == sealHit, context, sourceLocation: sourceLocation)
        var expectedOffsets = fx.locations.map(\.offset)
        if !sealHit { expectedOffsets.remove(at: k) }
        #expect(r.frames.map(\.offset) == expectedOffsets, context, sourceLocation: sourceLocation)
        for f in r.frames {
            let i = try #require(fx.locations.firstIndex { $0.offset == f.offset })
            #expect(f.payload == fx.payloads[i], context, sourceLocation: sourceLocation)
            #expect(f.header.sequence == fx.locations[i].sequence, context, sourceLocation: sourceLocation)
        }
        #expect(r.tail == .clean, context, sourceLocation: sourceLocation)
    }

    @Test func everyBitOfASmallSegment() throws {
        let tmp = TempDirectory("bitflip-small")
        defer { tmp.remove() }
        let fx = try TornTailTests.makeFixture(tmp, frames: 4, seed: 21)
        #expect(fx.sealedBytes.count < 4096, "keep the exhaustive test small")
        let sealed = tmp.file("flip.seg")
        for bit in (fx.headerLength * 8)..<(fx.sealedBytes.count * 8) {
            try Self.check(fx, bit: bit, path: sealed)
        }
        // An open segment behaves the same when the last frame is hit (damage, not a torn tail).
        let open = tmp.file("flip.open")
        for bit in (fx.locations.last!.offset * 8)..<(fx.sealedBytes.count * 8) {
            try Self.check(fx, bit: bit, path: open)
        }
    }

    @Test func randomBitsOfALargerSegment() throws {
        let tmp = TempDirectory("bitflip-large")
        defer { tmp.remove() }
        let fx = try TornTailTests.makeFixture(tmp, frames: 60, seed: 22)
        var rng = SplitMix64(seed: 23)
        let path = tmp.file("flip.seg")
        let first = fx.headerLength * 8
        for _ in 0..<1500 {
            try Self.check(fx, bit: first + Int(rng.next() % UInt64(fx.sealedBytes.count * 8 - first)), path: path)
        }
    }

    @Test func everyBitOfTheSegmentHeader() throws {
        let tmp = TempDirectory("bitflip-header")
        defer { tmp.remove() }
        let fx = try TornTailTests.makeFixture(tmp, frames: 2, seed: 24)
        let path = tmp.file("flip.seg")
        for bit in 0..<(fx.headerLength * 8) {
            var bytes = fx.bytes
            bytes[bit / 8] ^= UInt8(1 << (bit % 8))
            writeFile(path, bytes)
            let error = spoolError { _ = try SegmentReader(path: path) }
            guard case .badSegmentHeader(let p, _) = error, p == path else {
                Issue.record("bit \(bit) of the header: expected badSegmentHeader, got \(String(describing: error))")
                continue
            }
        }
    }
}
