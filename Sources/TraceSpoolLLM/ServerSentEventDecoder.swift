import CSpoolSupport

/// Receives the events a `ServerSentEventDecoder` dispatches.
package protocol ServerSentEventSink {
    /// One event: its `event:` name (nil when the event has none) and its `data:` lines joined with "\n". `data`
    /// is valid for the duration of the call only.
    mutating func event(_ name: String?, _ data: ArraySlice<UInt8>)
}

/// An incremental decoder of a `text/event-stream` body, following the parsing rules of the WHATWG HTML standard
/// ("Server-sent events", "Interpreting an event stream"), fed with the body's chunks as they arrive.
///
/// Lines end with CR, LF or CR LF, and a chunk may end anywhere: inside a line, inside a field name, or between
/// the CR and the LF of one line end. A leading byte order mark is skipped. Fields: `event` sets the event's name,
/// `data` appends a data line (several are joined with "\n"), `id` and `retry` are ignored (no reconnection
/// here), lines starting with `:` are comments, unknown fields are ignored; one space after the colon is not part of
/// the value. A blank line dispatches the event when it has at least one data line, and resets the name either way.
/// At the end of the stream an event without its blank line is not dispatched (`pendingEventIsIncomplete` tells).
///
/// A line longer than `maximumLineBytes`, or an event whose data would grow beyond it, is dropped whole (counted in
/// `droppedLines`), so a stream without line ends cannot grow the decoder's memory without bound. Never fails.
package struct ServerSentEventDecoder: Sendable {
    /// The longest line, and the most data of one event, kept (bytes).
    package let maximumLineBytes: Int
    /// The bytes of a line whose end is still to come.
    private var partialLine: [UInt8] = []
    /// The partial line exceeded `maximumLineBytes`: drop bytes until its end.
    private var discardingLine = false
    /// The previous chunk ended with CR: an LF at the start of the next one belongs to that line end.
    private var skipLineFeed = false
    /// No line has ended yet (a byte order mark may start the first one).
    private var isFirstLine = true
    /// The data lines of the current event, joined with LF.
    private var data: [UInt8] = []
    /// How many data lines the current event has.
    private var dataLines = 0
    /// The current event's name (`event:` field), if any.
    private var eventName: String?
    /// The previous event name, reused when the next event has the same one (no new `String` per event).
    private var lastEventName: String?
    /// Lines (or events' data) dropped for exceeding `maximumLineBytes`.
    package private(set) var droppedLines = 0

    /// A decoder at the start of a stream.
    ///
    /// - Parameter maximumLineBytes: the longest line, and the most data of one event, kept (default 8 MiB).
    package init(maximumLineBytes: Int = 8 << 20) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// Whether the bytes fed so far end inside an event: fields were read but no blank line dispatched them yet (at
    /// the end of a stream, such an event is discarded, as the standard says).
    package var pendingEventIsIncomplete: Bool {
        dataLines > 0 || eventName != nil || !partialLine.isEmpty
    }

    /// Decodes `chunk`, the next bytes of the stream, dispatching every event it completes to `sink`, in order.
    package mutating func decode(_ chunk: UnsafeRawBufferPointer, into sink: inout some ServerSentEventSink) {
        let count = chunk.count
        guard count > 0, let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let bytes = UnsafeBufferPointer(start: base, count: count)
        var index = 0
        if skipLineFeed {
            skipLineFeed = false
            if bytes[0] == .lineFeed { index = 1 }
        }
        var lineStart = index
        while index < count {
            index &+= tracespool_find_line_end(base + index, count &- index)
            guard index < count else { break }
            let byte = bytes[index]
            let piece = UnsafeBufferPointer(rebasing: bytes[lineStart..<index])
            if discardingLine {
                discardingLine = false
                partialLine.removeAll(keepingCapacity: true)
            } else if partialLine.isEmpty {
                line(piece, &sink)
            } else if partialLine.count &+ piece.count > maximumLineBytes {
                droppedLines &+= 1
                partialLine.removeAll(keepingCapacity: true)
            } else {
                partialLine.append(contentsOf: piece)
                var whole: [UInt8] = []
                swap(&whole, &partialLine)
                whole.withUnsafeBufferPointer { line($0, &sink) }
                whole.removeAll(keepingCapacity: true)
                swap(&whole, &partialLine)
            }
            if byte == .carriageReturn {
                if index &+ 1 < count {
                    if bytes[index &+ 1] == .lineFeed { index &+= 1 }
                } else {
                    skipLineFeed = true
                }
            }
            index &+= 1
            lineStart = index
        }
        guard lineStart < count, !discardingLine else { return }
        if partialLine.count &+ (count &- lineStart) > maximumLineBytes {
            droppedLines &+= 1
            discardingLine = true
            partialLine.removeAll(keepingCapacity: true)
        } else {
            partialLine.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart..<count]))
        }
    }

    /// Interprets one whole line (without its line end).
    private mutating func line(_ line: UnsafeBufferPointer<UInt8>, _ sink: inout some ServerSentEventSink) {
        var line = line
        if isFirstLine {
            isFirstLine = false
            if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                line = UnsafeBufferPointer(rebasing: line[3...])
            }
        }
        guard line.count <= maximumLineBytes else {
            droppedLines &+= 1
            return
        }
        guard let first = line.first else {
            dispatch(&sink)
            return
        }
        if first == .colon { return }
        let colon = line.firstIndex(of: .colon) ?? line.count
        let name = UnsafeBufferPointer(rebasing: line[..<colon])
        var valueStart = Swift.min(colon &+ 1, line.count)
        if valueStart < line.count, line[valueStart] == .space { valueStart &+= 1 }
        let value = UnsafeBufferPointer(rebasing: line[valueStart...])
        if name.elementsEqual("data".utf8) {
            let added = value.count &+ (dataLines > 0 ? 1 : 0)
            guard data.count &+ added <= maximumLineBytes else {
                droppedLines &+= 1
                return
            }
            if dataLines > 0 { data.append(.lineFeed) }
            data.append(contentsOf: value)
            dataLines &+= 1
        } else if name.elementsEqual("event".utf8) {
            if let last = lastEventName, last.utf8.elementsEqual(value) {
                eventName = last
            } else {
                let decoded = String(decoding: value, as: UTF8.self)
                eventName = decoded
                lastEventName = decoded
            }
        }
    }

    /// A blank line: dispatches the event if it has data, then starts the next one.
    private mutating func dispatch(_ sink: inout some ServerSentEventSink) {
        defer {
            eventName = nil
            dataLines = 0
            data.removeAll(keepingCapacity: true)
        }
        guard dataLines > 0 else { return }
        sink.event(eventName.flatMap { $0.isEmpty ? nil : $0 }, data[...])
    }
}

extension UInt8 {
    fileprivate static let lineFeed = UInt8(ascii: "\n")
    fileprivate static let carriageReturn = UInt8(ascii: "\r")
    fileprivate static let colon = UInt8(ascii: ":")
    fileprivate static let space = UInt8(ascii: " ")
}
