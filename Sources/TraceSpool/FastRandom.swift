/// A per-thread wyrand generator seeded from the system generator: a few nanoseconds per id, no locks, no sharing.
/// Not cryptographic; ids only need to be unique.
enum FastRandom {
    /// Each thread's generator state (released when its thread exits). Not `Sendable` (the states are not), but
    /// safe to share: a thread only ever reaches its own state, which `withGenerator` never lets out.
    nonisolated(unsafe) private static let states = ThreadLocal<State>()

    /// One thread's wyrand state: a heap object, so that the thread-local slot can own it, whose one word is its
    /// header (no elements), reached without exclusivity checks or reference counting.
    final class State: ManagedBuffer<UInt64, Void> {
        /// A state seeded from the system generator.
        static func seeded() -> State {
            var system = SystemRandomNumberGenerator()
            let seed = system.next()
            return unsafeDowncast(State.create(minimumCapacity: 0) { _ in seed }, to: State.self)
        }
    }

    /// This thread's generator state: one thread-local lookup for as many values as `body` draws.
    @inline(__always)
    static func withGenerator<R>(_ body: (inout Generator) -> R) -> R {
        states.withValue(orMake: State.seeded) { state in
            var generator = Generator(state: state.withUnsafeMutablePointerToHeader { $0 })
            return body(&generator)
        }
    }

    /// A thread's wyrand state, valid inside `withGenerator` on that thread.
    struct Generator {
        let state: UnsafeMutablePointer<UInt64>

        /// The next 64 random bits.
        @inline(__always)
        mutating func next() -> UInt64 {
            state.pointee &+= 0xa076_1d64_78bd_642f
            let s = state.pointee
            let product = s.multipliedFullWidth(by: s ^ 0xe703_7ed1_a0b4_28db)
            return product.high ^ product.low
        }
    }
}
