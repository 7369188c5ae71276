import Testing

@testable import TraceSpool

extension TracerTests {
    @Suite("Writer pacing")
    struct WriterPacingTests {
        /// The sleeps (µs) a pacing goes through for `rounds` (true: the round wrote buffers), with the next drain
        /// 1,000 ms away and a queue that is empty whenever the writer parks.
        static func sleeps(_ rounds: [Bool]) -> [Int] {
            var pacing = WriterPacing()
            var result = [pacing.sleepMicros(untilDrainMicros: 1_000_000)]
            for wrote in rounds {
                pacing.roundEnded(wroteBuffers: wrote) { true }
                result.append(pacing.sleepMicros(untilDrainMicros: 1_000_000))
            }
            return result
        }

        @Test("parked at first; 0.25 ms naps while buffers come, 2 ms doubling to 16 ms while none do, then parked")
        func napsDoubleThenPark() {
            #expect(Self.sleeps([]) == [1_000_000])
            // A round without buffers (a flush, the drain interval) while parked: parked again.
            #expect(Self.sleeps([false]) == [1_000_000, 1_000_000])
            #expect(
                Self.sleeps([true, true, false, false, false, false, false])
                    == [1_000_000, 250, 250, 2_000, 4_000, 8_000, 16_000, 1_000_000])
            // Buffers again in the middle of the backoff: back to the shortest nap.
            #expect(Self.sleeps([true, false, false, true, false]) == [1_000_000, 250, 2_000, 4_000, 250, 2_000])
        }

        @Test("no parking while a buffer is queued; no sleep past the next drain")
        func parkingNeedsAnEmptyQueue() {
            var pacing = WriterPacing()
            pacing.roundEnded(wroteBuffers: true) {
                Issue.record("parked after a round that wrote")
                return true
            }
            for _ in 0..<4 {
                pacing.roundEnded(wroteBuffers: false) {
                    Issue.record("parked too early")
                    return true
                }
            }
            #expect(pacing.sleepMicros(untilDrainMicros: 1_000_000) == WriterPacing.maxNapMicros)
            #expect(pacing.sleepMicros(untilDrainMicros: 5) == 5)
            // The queue is not empty when it would park: a buffer arrived after the round took the queue.
            pacing.roundEnded(wroteBuffers: false) { false }
            #expect(!pacing.parked)
            #expect(pacing.sleepMicros(untilDrainMicros: 1_000_000) == WriterPacing.minNapMicros)
            pacing.roundEnded(wroteBuffers: true) { true }
            for _ in 0..<5 { pacing.roundEnded(wroteBuffers: false) { true } }
            #expect(pacing.parked)
            #expect(pacing.sleepMicros(untilDrainMicros: 1) == 1)
        }
    }
}
