/// The protobuf field numbers of the OTLP messages this package encodes and decodes (opentelemetry-proto 1.x,
/// `opentelemetry/proto/{trace,common,resource,collector/trace}/v1`), one namespace per message. The one place they
/// are written down: OTLPWire's encoders and decoders and the tracer's span record encoder all name them.
///
/// Each number is an `@inlinable` constant, so that a caller in another module (the tracer's hot path assembles tag
/// bytes from them) folds it into its code: a stored `static let` would be read through an accessor call there.
@usableFromInline
package enum OTLPField {
    /// `opentelemetry.proto.trace.v1.Span`.
    @usableFromInline
    package enum Span {
        /// `trace_id` (bytes, 16).
        @inlinable package static var traceID: Int { 1 }
        /// `span_id` (bytes, 8).
        @inlinable package static var spanID: Int { 2 }
        /// `trace_state` (string).
        @inlinable package static var traceState: Int { 3 }
        /// `parent_span_id` (bytes, 8; absent for a root span).
        @inlinable package static var parentSpanID: Int { 4 }
        /// `name` (string).
        @inlinable package static var name: Int { 5 }
        /// `kind` (enum `SpanKind`, varint).
        @inlinable package static var kind: Int { 6 }
        /// `start_time_unix_nano` (fixed64).
        @inlinable package static var startTimeUnixNano: Int { 7 }
        /// `end_time_unix_nano` (fixed64).
        @inlinable package static var endTimeUnixNano: Int { 8 }
        /// `attributes` (repeated `KeyValue`).
        @inlinable package static var attributes: Int { 9 }
        /// `dropped_attributes_count` (uint32, varint).
        @inlinable package static var droppedAttributesCount: Int { 10 }
        /// `events` (repeated `Span.Event`).
        @inlinable package static var events: Int { 11 }
        /// `dropped_events_count` (uint32, varint).
        @inlinable package static var droppedEventsCount: Int { 12 }
        /// `links` (repeated `Span.Link`).
        @inlinable package static var links: Int { 13 }
        /// `dropped_links_count` (uint32, varint).
        @inlinable package static var droppedLinksCount: Int { 14 }
        /// `status` (`Status`).
        @inlinable package static var status: Int { 15 }
        /// `flags` (fixed32: W3C trace flags in bits 0-7, OTLP context flags in bits 8-9). The only span field whose
        /// tag takes two bytes.
        @inlinable package static var flags: Int { 16 }
    }

    /// `opentelemetry.proto.trace.v1.Span.Event`.
    @usableFromInline
    package enum Event {
        /// `time_unix_nano` (fixed64).
        @inlinable package static var timeUnixNano: Int { 1 }
        /// `name` (string).
        @inlinable package static var name: Int { 2 }
        /// `attributes` (repeated `KeyValue`).
        @inlinable package static var attributes: Int { 3 }
        /// `dropped_attributes_count` (uint32, varint).
        @inlinable package static var droppedAttributesCount: Int { 4 }
    }

    /// `opentelemetry.proto.trace.v1.Span.Link`.
    @usableFromInline
    package enum Link {
        /// `trace_id` (bytes, 16).
        @inlinable package static var traceID: Int { 1 }
        /// `span_id` (bytes, 8).
        @inlinable package static var spanID: Int { 2 }
        /// `trace_state` (string).
        @inlinable package static var traceState: Int { 3 }
        /// `attributes` (repeated `KeyValue`).
        @inlinable package static var attributes: Int { 4 }
        /// `dropped_attributes_count` (uint32, varint).
        @inlinable package static var droppedAttributesCount: Int { 5 }
        /// `flags` (fixed32, as `Span.flags`).
        @inlinable package static var flags: Int { 6 }
    }

    /// `opentelemetry.proto.trace.v1.Status` (field 1 is reserved).
    @usableFromInline
    package enum Status {
        /// `message` (string).
        @inlinable package static var message: Int { 2 }
        /// `code` (enum `StatusCode`, varint).
        @inlinable package static var code: Int { 3 }
    }

    /// `opentelemetry.proto.common.v1.KeyValue`.
    @usableFromInline
    package enum KeyValue {
        /// `key` (string).
        @inlinable package static var key: Int { 1 }
        /// `value` (`AnyValue`).
        @inlinable package static var value: Int { 2 }
    }

    /// `opentelemetry.proto.common.v1.AnyValue` (a `oneof`: one of these fields is set).
    @usableFromInline
    package enum AnyValue {
        /// `string_value` (string).
        @inlinable package static var stringValue: Int { 1 }
        /// `bool_value` (bool, varint).
        @inlinable package static var boolValue: Int { 2 }
        /// `int_value` (int64, varint).
        @inlinable package static var intValue: Int { 3 }
        /// `double_value` (double, fixed64).
        @inlinable package static var doubleValue: Int { 4 }
        /// `array_value` (`ArrayValue`).
        @inlinable package static var arrayValue: Int { 5 }
        /// `kvlist_value` (`KeyValueList`).
        @inlinable package static var kvlistValue: Int { 6 }
        /// `bytes_value` (bytes).
        @inlinable package static var bytesValue: Int { 7 }
    }

    /// `opentelemetry.proto.common.v1.ArrayValue`.
    @usableFromInline
    package enum ArrayValue {
        /// `values` (repeated `AnyValue`).
        @inlinable package static var values: Int { 1 }
    }

    /// `opentelemetry.proto.common.v1.KeyValueList`.
    @usableFromInline
    package enum KeyValueList {
        /// `values` (repeated `KeyValue`).
        @inlinable package static var values: Int { 1 }
    }

    /// `opentelemetry.proto.resource.v1.Resource`.
    @usableFromInline
    package enum Resource {
        /// `attributes` (repeated `KeyValue`).
        @inlinable package static var attributes: Int { 1 }
        /// `dropped_attributes_count` (uint32, varint).
        @inlinable package static var droppedAttributesCount: Int { 2 }
    }

    /// `opentelemetry.proto.common.v1.InstrumentationScope`.
    @usableFromInline
    package enum InstrumentationScope {
        /// `name` (string).
        @inlinable package static var name: Int { 1 }
        /// `version` (string).
        @inlinable package static var version: Int { 2 }
        /// `attributes` (repeated `KeyValue`).
        @inlinable package static var attributes: Int { 3 }
        /// `dropped_attributes_count` (uint32, varint).
        @inlinable package static var droppedAttributesCount: Int { 4 }
    }

    /// `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest`.
    @usableFromInline
    package enum ExportTraceServiceRequest {
        /// `resource_spans` (repeated `ResourceSpans`).
        @inlinable package static var resourceSpans: Int { 1 }
    }

    /// `opentelemetry.proto.trace.v1.ResourceSpans`.
    @usableFromInline
    package enum ResourceSpans {
        /// `resource` (`Resource`).
        @inlinable package static var resource: Int { 1 }
        /// `scope_spans` (repeated `ScopeSpans`).
        @inlinable package static var scopeSpans: Int { 2 }
        /// `schema_url` (string).
        @inlinable package static var schemaURL: Int { 3 }
    }

    /// `opentelemetry.proto.trace.v1.ScopeSpans`.
    @usableFromInline
    package enum ScopeSpans {
        /// `scope` (`InstrumentationScope`).
        @inlinable package static var scope: Int { 1 }
        /// `spans` (repeated `Span`).
        @inlinable package static var spans: Int { 2 }
        /// `schema_url` (string).
        @inlinable package static var schemaURL: Int { 3 }
    }

    /// `opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse`.
    @usableFromInline
    package enum ExportTraceServiceResponse {
        /// `partial_success` (`ExportTracePartialSuccess`).
        @inlinable package static var partialSuccess: Int { 1 }
    }

    /// `opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess`.
    @usableFromInline
    package enum ExportTracePartialSuccess {
        /// `rejected_spans` (int64, varint).
        @inlinable package static var rejectedSpans: Int { 1 }
        /// `error_message` (string).
        @inlinable package static var errorMessage: Int { 2 }
    }
}
