import SpoolBase
import TraceSpool

/// The mutable state of one `LLMExchange`, behind the exchange's mutex: what was started, what of the response has
/// arrived, and what is kept of it for the span and the recording.
struct ExchangeState: Sendable {
    /// Where the exchange is in its life. The span ends exactly once: on the one transition into `ended`.
    enum Phase: Sendable {
        /// `start()` has not run.
        case created
        /// `start()` ran; the response is awaited or arriving.
        case started
        /// The span ended (or there was none to end).
        case ended
    }

    /// What is done with the body's chunks.
    enum BodyHandling: Sendable {
        /// The response head has not arrived: decided by the first head or chunk.
        case undecided
        /// A 2xx event stream: decoded event by event into the accumulator.
        case events
        /// A whole body (JSON, or an error): buffered up to `LLMExchange.maximumBufferedBodyBytes`.
        case buffered
        /// Only counted (not an LLM call, or a span that is not recorded).
        case counted
    }

    var phase = Phase.created
    /// The exchange's span (nil: untraced).
    var span: SpoolSpan?
    /// The LLM call's request as the provider's wire format reads it (nil: not an LLM call).
    var providerRequest: ProviderRequest?
    /// `SystemClock.monotonicNanos()` when `start()` ran.
    var startNanos: UInt64 = 0
    /// Set when the response is to be appended to this recording once complete.
    var recordTo: LLMExchange.RecordReplayHooks?
    /// The response head, once it arrived.
    var head: LLMHTTPResponseHead?
    var handling = BodyHandling.undecided
    var decoder = ServerSentEventDecoder()
    /// The accumulator and the time of the first output.
    var sink = EventSink()
    /// The buffered body (`BodyHandling.buffered`).
    var body: [UInt8] = []
    /// The body outgrew `LLMExchange.maximumBufferedBodyBytes`; what came beyond it is not kept.
    var bodyTruncated = false
    /// Chunks received.
    var chunks = 0
    /// The chunks as received, when recording.
    var recordedChunks: [[UInt8]] = []

    /// Decides how to handle the body once the head (or, without one, the first chunk) is known.
    mutating func decideHandling() {
        guard let span, span.isRecording, let providerRequest else {
            handling = .counted
            return
        }
        let status = head?.status ?? 200
        guard (200..<300).contains(status) else {
            handling = .buffered
            return
        }
        let contentType = head?.headers.first { HTTPSpanAttributes.isField($0.name, "content-type") }?.value
        let kind = contentType.map { value in
            ASCIIBytes.withBytes(of: value) { bytes -> BodyHandling? in
                if ASCIIBytes.hasPrefix(bytes, "text/event-stream") { return .events }
                return ASCIIBytes.contains(bytes, "json") ? .buffered : nil
            }
        }
        handling = (kind ?? nil) ?? (providerRequest.isStreaming ? .events : .buffered)
    }

    /// Takes one chunk of the body.
    mutating func receive(_ chunk: UnsafeRawBufferPointer) {
        chunks &+= 1
        if recordTo != nil { recordedChunks.append(Array(chunk)) }
        if handling == .undecided { decideHandling() }
        switch handling {
        case .events:
            decoder.decode(chunk, into: &sink)
        case .buffered:
            guard !bodyTruncated else { return }
            if body.count &+ chunk.count > LLMExchange.maximumBufferedBodyBytes {
                bodyTruncated = true
            } else {
                body.append(contentsOf: chunk)
            }
        case .counted, .undecided:
            break
        }
    }
}

extension ExchangeState {
    /// Feeds decoded events to the provider's accumulator and notes when the first output arrived.
    struct EventSink: ServerSentEventSink, Sendable {
        var accumulator: (any ResponseAccumulator)?
        /// `SystemClock.monotonicNanos()` of the first event that carried output.
        var firstOutputNanos: UInt64?

        mutating func event(_ name: String?, _ data: ArraySlice<UInt8>) {
            guard accumulator?.consume(event: name, data: data) == true, firstOutputNanos == nil else { return }
            firstOutputNanos = SystemClock.monotonicNanos()
        }
    }
}
