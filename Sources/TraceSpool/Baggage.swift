public import Tracing

/// W3C Baggage (https://www.w3.org/TR/baggage/): name/value pairs an application propagates with a request, across
/// processes (the `baggage` header) and, inside one, through the task-local `InstrumentationContext`.
///
/// `SpoolTracer.inject` writes the baggage of the context as the `baggage` header and `SpoolTracer.extract` reads
/// it into the context (replacing what the context held); `withBaggage(_:_:)` adds entries for a block;
/// `Baggage.current` reads them. Spans record no baggage unless `TracerConfiguration.baggageAttributes` selects
/// entries to copy onto them as attributes.
///
/// Keys are case-sensitive; setting a key again replaces its value and properties in place. Values are any text
/// (percent-encoded in the header). Properties (the `;key=value` parts of a member) are kept as opaque text.
public struct Baggage: Sendable, Hashable {
    /// One name/value pair with its properties.
    public struct Entry: Sendable, Hashable {
        /// The key (an RFC 7230 token to appear in a header; entries with other keys are left out of it).
        public var key: String
        /// The value, decoded.
        public var value: String
        /// The properties, in order, as written in the header (not decoded).
        public var properties: [Property]

        /// Creates an entry.
        public init(key: String, value: String, properties: [Property] = []) {
            self.key = key
            self.value = value
            self.properties = properties
        }
    }

    /// A property of an entry: `key` or `key=value`.
    public struct Property: Sendable, Hashable {
        /// The property's key (a token).
        public var key: String
        /// The property's value as written (baggage octets, not decoded), or nil for a key alone.
        public var value: String?

        /// Creates a property.
        public init(key: String, value: String? = nil) {
            self.key = key
            self.value = value
        }
    }

    /// The entries, in the order they were first set.
    public private(set) var entries: [Entry] = []

    /// An empty baggage.
    public init() {}

    /// A baggage of `dictionary`'s pairs, in key order.
    public init(_ dictionary: [String: String]) {
        for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) { set(key, value) }
    }

    /// Whether there is no entry.
    public var isEmpty: Bool { entries.isEmpty }

    /// The number of entries.
    public var count: Int { entries.count }

    /// The value of `key`, or nil; setting nil removes the entry, setting a value keeps the entry's properties.
    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let newValue {
                if let i = entries.firstIndex(where: { $0.key == key }) {
                    entries[i].value = newValue
                } else {
                    entries.append(Entry(key: key, value: newValue))
                }
            } else {
                entries.removeAll { $0.key == key }
            }
        }
    }

    /// Sets `key` to `value` with `properties`, replacing an entry of that key in place.
    public mutating func set(_ key: String, _ value: String, properties: [Property] = []) {
        let entry = Entry(key: key, value: value, properties: properties)
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i] = entry
        } else {
            entries.append(entry)
        }
    }

    /// The entries as a dictionary (properties left out).
    public var dictionary: [String: String] {
        Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    // MARK: Context

    /// The `InstrumentationContext` key of the baggage.
    enum Key: InstrumentationContextKey {
        typealias Value = Baggage
        static var nameOverride: String? { "tracespool.baggage" }
    }

    /// The baggage of the task-local `InstrumentationContext` (empty when none was set or extracted).
    public static var current: Baggage {
        InstrumentationContext.current?.baggage ?? Baggage()
    }
}

extension InstrumentationContext {
    /// The W3C baggage this context carries (nil when none). `SpoolTracer.extract` sets it from a `baggage` header,
    /// `SpoolTracer.inject` writes it, and spans started in this context inherit it.
    public var baggage: Baggage? {
        get { isEmpty ? nil : self[Baggage.Key.self] }
        set { self[Baggage.Key.self] = newValue }
    }
}

/// Runs `body` with `entries` added to the current baggage (they replace entries of the same keys), for every span
/// started inside, on this task and its child tasks, and for `SpoolTracer.inject` in it.
public func withBaggage<T>(_ entries: [String: String], _ body: () throws -> T) rethrows -> T {
    try InstrumentationContext.$current.withValue(Baggage.context(adding: entries), operation: body)
}

/// Async variant of `withBaggage(_:_:)`.
public func withBaggage<T>(
    _ entries: [String: String], isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
) async rethrows -> T {
    try await InstrumentationContext.$current.withValue(Baggage.context(adding: entries), operation: body)
}

extension Baggage {
    /// The current context with `entries` set in its baggage.
    static func context(adding entries: [String: String]) -> InstrumentationContext {
        var context = InstrumentationContext.current ?? .topLevel
        var baggage = context.baggage ?? Baggage()
        for (key, value) in entries.sorted(by: { $0.key < $1.key }) { baggage[key] = value }
        context.baggage = baggage
        return context
    }
}
