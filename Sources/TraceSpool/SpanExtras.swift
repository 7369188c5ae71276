import Tracing

/// The parts of a span that most spans never use (events, links, a status message), boxed so that a typical
/// span's state stays small: creating and destroying it touches one optional reference instead of four arrays
/// and a string. Only ever accessed under the span's `Mutex`.
final class SpanExtras {
    var events: [SpanEvent] = []
    var droppedEvents: UInt32 = 0
    var links: [SpanLink] = []
    var droppedLinks: UInt32 = 0
    var statusMessage: String = ""
    /// The description of the last error `recordError` recorded: the message of an error status set later without
    /// one (as `withSpan` sets it).
    var recordedErrorMessage: String = ""

    init() {}
}
