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

    /// The next 64 random bits.
    @inline(__always)
    static func next() -> UInt64 {
        let state: UnsafeMutablePointer<UInt64>
        if let existing = pthread_getspecific(key) {
            state = existing.assumingMemoryBound(to: UInt64.self)
        } else {
            state = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
            var system = SystemRandomNumberGenerator()
            state.initialize(to: system.next())
            pthread_setspecific(key, state)
        }
        state.pointee &+= 0xa076_1d64_78bd_642f
        let s = state.pointee
        let product = s.multipliedFullWidth(by: s ^ 0xe703_7ed1_a0b4_28db)
        return product.high ^ product.low
    }
}
