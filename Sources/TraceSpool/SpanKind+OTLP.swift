import Tracing

extension SpanKind {
    /// The OTLP `Span.SpanKind` number of this kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
    @inline(__always)
    package var otlpNumber: Int32 {
        switch self {
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        }
    }

    /// The kind of OTLP `Span.SpanKind` number `number`; `.internal` for 0 (unspecified) and numbers unknown to
    /// swift-distributed-tracing.
    package init(otlpNumber number: Int32) {
        switch number {
        case 2: self = .server
        case 3: self = .client
        case 4: self = .producer
        case 5: self = .consumer
        default: self = .internal
        }
    }
}
