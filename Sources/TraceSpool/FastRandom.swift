#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A per-thread wyrand generator seeded from the system generator: a few nanoseconds per id, no locks, no sharing.
/// Not cryptographic; ids only need to be unique.
enum FastRandom {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { state in state?.deallocate() }
        return key
    }()

    /// This thread's generator state: one thread-specific lookup for as many values as `body` draws.
    @inline(__always)
    static func withGenerator<R>(_ body: (inout Generator) -> R) -> R {
        let state: UnsafeMutablePointer<UInt64>
        if let existing = pthread_getspecific(key) {
            state = existing.assumingMemoryBound(to: UInt64.self)
        } else {
            state = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
            var system = SystemRandomNumberGenerator()
            state.initialize(to: system.next())
            pthread_setspecific(key, state)
        }
        var generator = Generator(state: state)
        return body(&generator)
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
