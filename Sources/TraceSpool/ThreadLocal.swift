#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A variable with one value per thread: a POSIX thread-specific key whose slot holds a reference to the calling
/// thread's value (model: swift-nio's `ThreadSpecificVariable`, without its box, so that reaching the value costs one
/// `pthread_getspecific` and no reference counting).
///
/// Lifetime of a value:
/// - It is made on its thread's first `withValue(orMake:_:)`, and the slot keeps one reference to it (+1).
/// - When the thread exits, the key's destructor runs on that thread after its last Swift code: it calls
///   `threadDidExit()` on values that are `ThreadExitObserving`, then releases the slot's reference, so the value
///   is freed unless something else still holds it. (The main thread's values are never released: `exit` runs no
///   thread-specific destructors. Nor are those of threads that outlive the variable: `pthread_key_delete`, in
///   `deinit`, runs none either; the tracer's variables live as long as the process.)
/// - `withValue` lends the value without retaining it: it is valid for the call, and the thread cannot exit during it.
///
/// Not copyable: a copy would share the key, and either copy's `deinit` would delete it under the other. `Sendable`
/// when its values are: a value that is not could otherwise be smuggled to another thread through `withValue`'s result.
struct ThreadLocal<Value: AnyObject>: ~Copyable {
    private let key: pthread_key_t

    /// A variable without values (each thread makes its own on first use).
    init() {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key) { raw in
            // Optional on Linux, not on Darwin: the same code for both.
            let raw: UnsafeMutableRawPointer? = raw
            guard let raw else { return }
            ThreadLocalSlot.threadExited(raw)
        }
        // Only when the process has used up its keys (`PTHREAD_KEYS_MAX`, at least 128): a tracer could not work.
        precondition(rc == 0, "pthread_key_create failed (error \(rc))")
        self.key = key
    }

    deinit {
        pthread_key_delete(key)
    }

    /// Calls `body` with the calling thread's value, made by `make` (and kept) when the thread has none yet.
    @inline(__always)
    func withValue<R>(orMake make: () -> Value, _ body: (Value) -> R) -> R {
        let raw = pthread_getspecific(key) ?? install(make())
        return Unmanaged<Value>.fromOpaque(raw)._withUnsafeGuaranteedRef(body)
    }

    /// The calling thread's value, if it made one.
    var currentValue: Value? {
        pthread_getspecific(key).map { Unmanaged<Value>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Stores `value` as the calling thread's (which has none) and returns the slot's contents.
    @inline(never)
    private func install(_ value: Value) -> UnsafeMutableRawPointer {
        let raw = Unmanaged.passRetained(value).toOpaque()
        let rc = pthread_setspecific(key, raw)
        // Only out of memory for the thread's slot table: the value would leak, and its thread gets a new one next
        // time; a tracer cannot go on like that.
        precondition(rc == 0, "pthread_setspecific failed (error \(rc))")
        return raw
    }
}

extension ThreadLocal: @unchecked Sendable where Value: Sendable {}

/// A thread-local value that is told when its thread exits (see `ThreadLocal`).
protocol ThreadExitObserving: AnyObject {
    /// Called on the exiting thread by the key's destructor, before the slot's reference is released.
    func threadDidExit()
}

/// What the key's destructor does with a slot: a function of no generic type, because a C destructor cannot capture
/// one.
private enum ThreadLocalSlot {
    static func threadExited(_ raw: UnsafeMutableRawPointer) {
        // The slot holds a +1 reference to a Swift object; `AnyObject` refers to any of them.
        let value = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue()
        (value as? any ThreadExitObserving)?.threadDidExit()
    }
}
