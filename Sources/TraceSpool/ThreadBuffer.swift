import OTLPWire
import SpoolFormat
import Synchronization

/// Encoded span records waiting to be handed to the writer: one frame payload.
struct PendingBatch: Sendable {
    /// Records encoded with `RecordEncoding` framing.
    var bytes: [UInt8]
    /// The number of records in `bytes`.
    var records: Int
}

/// The span buffer of one thread for one tracer. Only its own thread appends; the writer takes the contents on
/// drain (flush, shutdown, periodic collection), so its `Mutex` is contended only then.
final class ThreadBuffer: ThreadExitObserving, Sendable {
    struct Contents {
        var writer: ProtobufWriter
        var records: Int
        /// Spans that left this buffer since it was created (in batches, or discarded by `close`): with `records`,
        /// the spans its thread ended (`TracerCore.endedSpans`). Updated once per batch, never per span.
        var handedOver = 0
        /// Set once the writer has stopped: spans are no longer appended but counted as dropped for this reason.
        var closedReason: DropReason?
    }

    let contents: Mutex<Contents>
    /// Set when the owning thread exited; the writer forgets the buffer once it is empty.
    let exited = Atomic<Bool>(false)
    init() {
        contents = Mutex(Contents(writer: ProtobufWriter(capacity: 0), records: 0))
    }

    /// Marks the buffer `exited` (its thread's thread-local slot is being released).
    func threadDidExit() {
        exited.store(true, ordering: .releasing)
    }

    /// Empties the buffer and closes it for good (`Contents.closedReason`); returns the number of spans discarded.
    func close(_ reason: DropReason) -> Int {
        contents.withLock { c in
            defer {
                c.handedOver &+= c.records
                c.writer = ProtobufWriter(capacity: 0)
                c.records = 0
                c.closedReason = reason
            }
            return c.records
        }
    }

    /// Takes whatever is buffered (nil when empty).
    func take() -> PendingBatch? {
        contents.withLock { c -> PendingBatch? in
            guard c.records > 0 else { return nil }
            let batch = PendingBatch(bytes: c.writer.bytes, records: c.records)
            c.handedOver &+= c.records
            c.writer = ProtobufWriter(capacity: 0)
            c.records = 0
            return batch
        }
    }
}
