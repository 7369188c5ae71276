import Dispatch
import Logging
import OTLPWire
import SpoolFormat
import Synchronization
import Tracing

/// The recording machinery of an enabled tracer: per-thread buffers, the queue to the writer thread, drop
/// accounting, flush and shutdown.
final class TracerCore: Sendable {
    let config: TracerConfiguration
    let logger: Logger
    let encoder: SpanRecordEncoder
    let options: SegmentWriterOptions
    /// Each thread's buffer for this tracer (marked `exited` when its thread exits).
    private let threadBuffers = ThreadLocal<ThreadBuffer>()
    let buffers = Mutex<[ThreadBuffer]>([])
    /// The hand-over to the writer thread (a state machine: `WriterQueue`).
    let queue: Mutex<WriterQueue>
    /// Bytes of written batches, empty, for the next full thread buffers (see `makeBatchWriter`).
    let spareBuffers = Mutex<[[UInt8]]>([])
    /// At most this many spare batch buffers are kept (about 80 KiB each with the default `bufferBytes`).
    static let maxSpareBuffers = 4
    let wakeup = DispatchSemaphore(value: 0)
    let drops = DropCounter()
    let isShutdown = Atomic<Bool>(false)
    private let loggedDropReasons = Atomic<UInt8>(0)
    /// Test seams (nil in production).
    let testHooks: TracerTestHooks?
    let shutdownWaiter = Mutex<FlushWaiter?>(nil)
    /// How many times a full buffer woke the writer (for tests: most full buffers should not have to).
    let wakeSignals = Atomic<Int>(0)
    let framesWritten = Atomic<Int>(0)
    let spansWritten = Atomic<Int>(0)
    let bytesWritten = Atomic<Int>(0)
    /// Spans appended to frames and then lost (a failed sync or seal): `spansWritten` minus these is what a
    /// successful sync made durable (`DurabilityWatermark`).
    let spansLostAfterAppend = Atomic<Int>(0)
    /// Spans handed over by the buffers of exited threads that the writer forgot (`ThreadBuffer.Contents.handedOver`).
    let retiredBufferSpans = Atomic<Int>(0)
    /// The durability watermark, written by the writer thread after each successful sync.
    let watermark = Mutex(DurabilityWatermark())

    /// The redaction in force (the encoder's too).
    let redactor: Redactor
    /// The Linux thread id of the writer thread once it runs (0 before): lets the package's tests tell this tracer's
    /// writer from those of other tracers in the same process.
    let writerThreadID = Atomic<Int32>(0)
    /// The span processors (`TracerConfiguration.processors`); nil when none are installed.
    let processors: SpanProcessorChain?
    /// Whether `processors` is set: the one check the recording path makes (a load of a constant).
    let hasProcessors: Bool
    /// Whether baggage entries are copied onto spans (`TracerConfiguration.baggageAttributes`): a constant, so that
    /// span creation reads one flag rather than the configuration's nested value.
    let copiesBaggage: Bool

    /// A core for `config`; `redactor` defaults to one for `config.redaction`.
    init(
        config: TracerConfiguration, logger: Logger, options: SegmentWriterOptions, testHooks: TracerTestHooks? = nil,
        redactor: Redactor? = nil
    ) {
        self.config = config
        self.logger = logger
        self.options = options
        self.testHooks = testHooks
        self.queue = Mutex(WriterQueue(limit: config.maxQueuedBuffers))
        let redactor = redactor ?? Redactor(config.redaction, logger: logger)
        self.redactor = redactor
        self.encoder = SpanRecordEncoder(
            valueLengthLimit: config.attributeValueLengthLimit, countLimit: config.attributeCountLimit,
            redactor: redactor)
        self.processors = config.processors.isEmpty ? nil : SpanProcessorChain(config.processors, logger: logger)
        self.hasProcessors = !config.processors.isEmpty
        self.copiesBaggage = config.baggageAttributes.isEnabled
    }

    private static let immortal = Mutex<[TracerCore]>([])

    /// Keeps `core` alive until process exit, so spans can refer to it without reference counting. A process
    /// normally has one tracer; each costs a few hundred bytes and one pthread key.
    static func immortalize(_ core: TracerCore) {
        immortal.withLock { $0.append(core) }
    }

    /// Creates a span (recording unless the sampler drops its trace or the tracer is shut down).
    @inline(__always)
    func makeSpan(
        _ name: consuming String, parentContext: InstrumentationContext, kind: SpanKind, startNanos: UInt64,
        traceID explicitTraceID: TraceID? = nil, type: SpanType? = nil, attributes: consuming [SpoolAttribute] = [],
        forceSampled: Bool = false
    ) -> SpoolSpan {
        // One lookup (a hash and a dynamic cast) of the active span, used for the parent and for the check below.
        let active = parentContext.isEmpty ? nil : parentContext[ActiveSpanKey.self]
        let parent = active?.spanContext ?? (parentContext.isEmpty ? nil : parentContext[SpoolSpanContext.Key.self])
        // One lookup of the thread's generator for both ids.
        let (traceID, spanID) = FastRandom.withGenerator { g in
            (explicitTraceID ?? parent?.traceID ?? TraceID(random: &g), SpanID(random: &g))
        }
        guard !isShutdown.load(ordering: .relaxed),
            forceSampled || config.sampler.shouldSample(traceID: traceID, parent: parent)
        else {
            var context = parentContext
            context.spoolSpanContext = SpoolSpanContext(
                traceID: traceID, spanID: spanID, traceFlags: 0, traceState: parent?.traceState ?? "")
            return SpoolSpan(nonRecording: context)
        }
        // When the parent context holds nothing but the parent span, the child's context needs none of it: keeping
        // `.topLevel` avoids sharing (and reference-counting across threads) the parent's context storage.
        let onlyParentSpan = active != nil && parentContext.count == 1
        let storage = SpanStorage(
            core: self, name: name, traceID: traceID, spanID: spanID, parent: parent, kind: kind,
            startNanos: startNanos, parentContext: onlyParentSpan ? .topLevel : parentContext, type: type,
            attributes: attributes)
        let span = SpoolSpan(storage: storage)
        BaggageAttributes.stamp(span, from: parentContext, core: self)
        AgentContext.stamp(span, core: self)
        // Through `span`, not `storage`: a use of `storage` here would keep it alive beside `span` (a retain and a
        // release per span).
        if hasProcessors, let started = span.storage { processors?.spanStarted(started) }
        return span
    }

    /// Starts the background writer thread.
    func start() {
        SpoolWriterThread(core: self).start()
    }

    /// Calls `body` with the calling thread's buffer, created and registered on first use. The thread-local slot
    /// holds a +1 reference until this thread exits, so the buffer outlives the call without a retain/release pair
    /// (two atomic operations) of its own.
    @inline(__always)
    func withThreadBuffer<R>(_ body: (ThreadBuffer) -> R) -> R {
        threadBuffers.withValue(orMake: { makeThreadBuffer() }, body)
    }

    /// Creates and registers the calling thread's buffer.
    @inline(never)
    private func makeThreadBuffer() -> ThreadBuffer {
        let buffer = ThreadBuffer()
        buffers.withLock { list in
            // A thread's first span after the writer stopped: the buffer could never be written. (`stopQueue` marks
            // the queue stopped before it closes the listed buffers, so a buffer is closed by one or the other.)
            if queue.withLock({ $0.stopped }) {
                let reason = stoppedDropReason
                buffer.contents.withLock { $0.closedReason = reason }
            }
            list.append(buffer)
        }
        return buffer
    }

    /// Encodes an ended span into this thread's buffer; hands the buffer to the writer when full.
    /// Never blocks on I/O; drops (counted) instead.
    @inline(__always)
    func record(
        _ storage: SpanStorage, _ state: borrowing SpanState, dictionary: SpanAttributes?, endNanos: UInt64
    ) {
        if isShutdown.load(ordering: .relaxed) {
            noteDrop(.afterShutdown)
            return
        }
        let capacity = config.bufferBytes
        var dropped: DropReason?
        let full = withThreadBuffer { buffer in
            buffer.contents.withLock { c -> PendingBatch? in
                // Closed when the writer stopped: a span that passed the check above just before the shutdown.
                if let closed = c.closedReason {
                    dropped = closed
                    return nil
                }
                let length = encoder.appendSpanRecord(
                    storage, state, dictionary: dictionary, endNanos: endNanos, into: &c.writer)
                if length > SpoolLimits.maxRecordBytes {
                    dropped = .recordTooLarge
                    return nil
                }
                c.records += 1
                guard c.writer.count >= capacity else { return nil }
                let batch = PendingBatch(bytes: c.writer.bytes, records: c.records)
                c.handedOver &+= c.records
                c.writer = makeBatchWriter()
                c.records = 0
                return batch
            }
        }
        if let dropped { noteDrop(dropped) }
        if let full { enqueue(full) }
        // Logged here, outside the buffer's lock, that the encoder held when it redacted.
        if redactor.hasUnloggedRedaction { redactor.logFirstRedactionIfPending() }
    }

    /// A writer for a thread's next batch: the bytes of a written batch when one is spare (empty, capacity kept),
    /// else new ones of `batchCapacity`. Recycling spares each batch a `malloc` and `free` of about 80 KiB, which
    /// the C allocator often answers by shrinking and regrowing the heap: a system call and page faults on the
    /// recording thread.
    @inline(never)
    func makeBatchWriter() -> ProtobufWriter {
        var writer = ProtobufWriter(capacity: 0)
        if let spare = spareBuffers.withLock({ $0.popLast() }) {
            writer.bytes = spare
        } else {
            writer.bytes.reserveCapacity(batchCapacity)
        }
        return writer
    }

    /// The capacity of a batch buffer: a batch and a quarter, so that the span that fills it fits too.
    var batchCapacity: Int { config.bufferBytes + config.bufferBytes / 4 }

    /// Keeps the bytes of a written batch for `makeBatchWriter` (at most `maxSpareBuffers`; buffers with less room
    /// than `makeBatchWriter` gives, which would grow while filling up, are released). Leaves `bytes` empty.
    func recycle(_ bytes: inout [UInt8]) {
        guard bytes.capacity >= batchCapacity else { return }
        var kept: [UInt8] = []
        swap(&kept, &bytes)
        // Unique here (the batch was written and released), so its capacity stays.
        kept.removeAll(keepingCapacity: true)
        spareBuffers.withLock { spares in
            if spares.count < Self.maxSpareBuffers { spares.append(kept) }
        }
    }

    /// Queues a full buffer for the writer, or drops its spans when too many are waiting (`queueFull`) or the writer
    /// has stopped (see `stoppedDropReason`). Wakes the writer only when `WriterQueue` says so (it is parked, or the
    /// queue reached a quarter of its limit); otherwise the writer takes the buffer after its nap (`WriterPacing`).
    func enqueue(_ batch: PendingBatch) {
        let records = UInt64(batch.records)
        switch queue.withLock({ $0.enqueue(batch) }) {
        case .none:
            break
        case .wakeWriter:
            wakeSignals.add(1, ordering: .relaxed)
            wakeup.signal()
        case .dropQueueFull:
            noteDrop(.queueFull, records)
        case .dropStopped:
            noteDrop(stoppedDropReason, records)
        }
    }

    /// Counts dropped spans; the first drop of each reason is logged once (warning).
    func noteDrop(_ reason: DropReason, _ count: UInt64 = 1, detail: @autoclosure () -> String = "") {
        drops.add(reason, count)
        let bit = UInt8(1) << reason.rawValue
        guard loggedDropReasons.load(ordering: .relaxed) & bit == 0 else { return }
        let old = loggedDropReasons.bitwiseOr(bit, ordering: .relaxed).oldValue
        guard old & bit == 0 else { return }
        let extra = detail()
        logger.warning(
            "TraceSpool dropped spans (reason \(reason)); further drops of this reason are counted, not logged",
            metadata: extra.isEmpty ? nil : ["detail": "\(extra)", "spool": "\(config.spoolDirectory)"])
    }

    /// Blocks until every span ended before the call is durable, or `timeoutMillis` passed.
    func flush(timeoutMillis: Int) -> Bool {
        guard let waiter = flushWaiter() else { return false }
        return waiter.wait(timeoutMillis: timeoutMillis)
    }

    /// Async variant of `flush(timeoutMillis:)`; suspends instead of blocking. Returns false at once when the calling
    /// task is cancelled, and as soon as it is cancelled while waiting (the flush itself goes on for other callers).
    func flush(timeoutMillis: Int) async -> Bool {
        guard !Task.isCancelled, let waiter = flushWaiter() else { return false }
        return await waiter.wait(timeoutMillis: timeoutMillis)
    }

    /// A flush that reports what it secured (`FlushResult`).
    func flushResult(timeoutMillis: Int) -> FlushResult {
        let required = endedSpans()
        guard let waiter = flushWaiter() else { return result(of: nil, ok: false, required: required) }
        let ok = waiter.wait(timeoutMillis: timeoutMillis)
        return result(of: waiter, ok: ok, required: required)
    }

    /// Async variant of `flushResult(timeoutMillis:)` (cancellation as in `flush(timeoutMillis:) async`).
    func flushResult(timeoutMillis: Int) async -> FlushResult {
        let required = endedSpans()
        guard !Task.isCancelled else { return result(of: nil, ok: false, required: required, cancelled: true) }
        guard let waiter = flushWaiter() else { return result(of: nil, ok: false, required: required) }
        let ok = await waiter.wait(timeoutMillis: timeoutMillis)
        return result(of: waiter, ok: ok, required: required, cancelled: Task.isCancelled)
    }

    /// The result of a flush that waited on `waiter` (nil: there was nothing to wait for) and got `ok`.
    private func result(of waiter: FlushWaiter?, ok: Bool, required: Int, cancelled: Bool = false) -> FlushResult {
        let mark = watermark.withLock { $0 }
        var reason: FlushResult.IncompleteReason?
        if !ok {
            if let waiter {
                if waiter.result == false {
                    reason = waiter.failureReason ?? .ioError
                } else {
                    reason = cancelled ? .cancelled : .timedOut
                }
            } else {
                reason = cancelled ? .cancelled : .writerStopped
            }
        }
        return FlushResult(
            completed: ok, incompleteReason: reason, durableSpans: mark.durableSpans, requiredSpans: required,
            droppedSpans: Int(clamping: drops.totalCounts().total), lastDurableFrame: mark.lastFrame)
    }

    /// Spans ended since the tracer started (handed to a thread buffer; not those dropped as they ended): read
    /// buffer by buffer under their locks, so every span ended before the call is counted.
    func endedSpans() -> Int {
        buffers.withLock { list in
            list.reduce(retiredBufferSpans.load(ordering: .relaxed)) { sum, buffer in
                sum &+ buffer.contents.withLock { $0.handedOver &+ $0.records }
            }
        }
    }

    /// What a flush waits for: a new flush cycle of the writer or, once shutdown began, the shutdown's outcome
    /// (nil when the writer never started and no shutdown was requested).
    private func flushWaiter() -> FlushWaiter? {
        if !isShutdown.load(ordering: .acquiring) {
            let waiter = FlushWaiter()
            if submit(waiter) { return waiter }
        }
        return shutdownWaiter.withLock { $0 }
    }

    /// Hands `waiter` to the writer thread and wakes it; false when the writer has stopped (or never started).
    private func submit(_ waiter: FlushWaiter) -> Bool {
        let queued = queue.withLock { $0.submit(waiter) }
        if queued { wakeup.signal() }
        return queued
    }

    /// Why spans handed over once the writer has stopped are dropped: `afterShutdown` when it stopped for a shutdown
    /// (spans that raced with it), `ioError` when it could not start.
    var stoppedDropReason: DropReason { isShutdown.load(ordering: .acquiring) ? .afterShutdown : .ioError }

    /// Marks the writer queue stopped (no waiter or buffer is taken any more) and returns the waiters still in it.
    /// Spans that will never be written — in buffers still queued or in thread buffers, from threads that raced with
    /// the shutdown after the writer's last round — are counted as dropped (`stoppedDropReason`), and every thread
    /// buffer is closed, so that spans such threads end later are counted too instead of sitting there.
    func stopQueue() -> [FlushWaiter] {
        let reason = stoppedDropReason
        let (waiters, late) = queue.withLock { $0.stop() }
        var records = late.reduce(0) { $0 + UInt64($1.records) }
        buffers.withLock { list in
            for buffer in list {
                records += UInt64(buffer.close(reason))
            }
        }
        if records > 0 { noteDrop(reason, records) }
        return waiters
    }

    /// Stops recording, flushes, seals the segment and stops the writer thread. Idempotent: every call waits (at
    /// most its own `timeoutMillis`) for the outcome of that one shutdown; a call that times out returns false
    /// without affecting the others, and the exit hook stays registered until the writer has finished.
    func shutdown(timeoutMillis: Int) -> Bool {
        let (waiter, first) = shutdownWaiter.withLock { current -> (FlushWaiter, Bool) in
            if let current { return (current, false) }
            let created = FlushWaiter(stop: true)
            current = created
            return (created, true)
        }
        if first {
            // Published after the waiter, so whoever sees the flag also finds the waiter.
            isShutdown.store(true, ordering: .releasing)
            if !submit(waiter) {
                // The writer thread never started: nothing can be sealed.
                waiter.complete(false)
                ExitHook.unregister(self)
            }
        }
        return waiter.wait(timeoutMillis: timeoutMillis)
    }

    /// Spans buffered in thread buffers, not yet handed to the writer.
    var bufferedSpans: Int {
        buffers.withLock { list in list.reduce(0) { sum, b in sum + b.contents.withLock { $0.records } } }
    }
}
