import Testing

@testable import TraceSpoolLLM

@Suite("Server-sent event decoder")
struct ServerSentEventDecoderTests {
    typealias Event = CollectedEvents.Event

    /// A stream with every rule of the standard in it: LF, CR and CR LF line ends, names, several data lines, a
    /// comment, fields without a colon or without the space, two spaces (one kept), `id`/`retry`/unknown fields, an
    /// event without data (not dispatched, and its name does not carry over), an empty name, and a byte order mark.
    static let fixture: [UInt8] =
        [0xEF, 0xBB, 0xBF]
        + Array(
            ("data: first\n\n" + "event: delta\r\ndata: {\"a\":1}\r\ndata:two\r\n\r\n" + ": a comment\r"
                + "event: ping\rid: 7\rretry: 100\rfoo: bar\r\r" + "data:  spaced\ndata\n\n" + "event:\ndata: x\n\n"
                + "event: named\r\ndata: é\r\n\r\n" + "data: incomplete\n").utf8)

    static let expected = [
        Event(name: nil, data: "first"), Event(name: "delta", data: "{\"a\":1}\ntwo"),
        Event(name: nil, data: " spaced\n"),
        Event(name: nil, data: "x"), Event(name: "named", data: "é"),
    ]

    static func decode(_ pieces: [ArraySlice<UInt8>], decoder: inout ServerSentEventDecoder) -> [Event] {
        var sink = CollectedEvents()
        for piece in pieces {
            Array(piece).withUnsafeBytes { decoder.decode($0, into: &sink) }
        }
        return sink.events
    }

    static func decode(_ pieces: [ArraySlice<UInt8>]) -> [Event] {
        var decoder = ServerSentEventDecoder()
        return decode(pieces, decoder: &decoder)
    }

    @Test("the fixture in one chunk: names, data lines, comments, ignored fields, one space stripped")
    func whole() {
        var decoder = ServerSentEventDecoder()
        #expect(Self.decode([Self.fixture[...]], decoder: &decoder) == Self.expected)
        #expect(decoder.pendingEventIsIncomplete)
    }

    @Test("split at every point into two chunks, the same events")
    func everySplitPoint() {
        for split in 0...Self.fixture.count {
            let events = Self.decode([Self.fixture[..<split], Self.fixture[split...]])
            #expect(events == Self.expected, "split at \(split)")
        }
    }

    @Test("split at every pair of points into three chunks, and byte by byte, the same events")
    func everyThreeWaySplit() {
        let bytes = Self.fixture
        for first in stride(from: 0, through: bytes.count, by: 1) {
            for second in stride(from: first, through: bytes.count, by: 3) {
                let events = Self.decode([bytes[..<first], bytes[first..<second], bytes[second...]])
                #expect(events == Self.expected, "splits at \(first), \(second)")
                if events != Self.expected { return }
            }
        }
        #expect(Self.decode(bytes.indices.map { bytes[$0...$0] }) == Self.expected)
    }

    @Test("a CR ending one chunk and the LF starting the next are one line end, not a blank line")
    func carriageReturnLineFeedSplit() {
        let events = Self.decode([Array("data: a\r".utf8)[...], Array("\ndata: b\r\n\r\n".utf8)[...]])
        #expect(events == [Event(name: nil, data: "a\nb")])
        let lone = Self.decode([Array("data: a\r".utf8)[...], Array("\rdata: b\n\n".utf8)[...]])
        #expect(lone == [Event(name: nil, data: "a"), Event(name: nil, data: "b")])
    }

    @Test("an event without its blank line at the end of the stream is not dispatched")
    func incompleteAtEnd() {
        var decoder = ServerSentEventDecoder()
        #expect(
            Self.decode([Array("data: a\n\ndata: b\n".utf8)[...]], decoder: &decoder) == [Event(name: nil, data: "a")])
        #expect(decoder.pendingEventIsIncomplete)
        var complete = ServerSentEventDecoder()
        _ = Self.decode([Array("data: a\n\n".utf8)[...]], decoder: &complete)
        #expect(!complete.pendingEventIsIncomplete)
    }

    @Test("a line longer than the limit is dropped whole, in one chunk or across chunks; decoding goes on")
    func overlongLine() {
        var decoder = ServerSentEventDecoder(maximumLineBytes: 16)
        let long = "data: " + String(repeating: "x", count: 40)
        let events = Self.decode(
            [
                Array("\(long)\n\ndata: ok\n\n".utf8)[...], Array(long.utf8)[...],
                Array("yyyy\n\ndata: ok2\n\n".utf8)[...],
            ],
            decoder: &decoder)
        #expect(events == [Event(name: nil, data: "ok"), Event(name: nil, data: "ok2")])
        #expect(decoder.droppedLines == 2)
        var data = ServerSentEventDecoder(maximumLineBytes: 16)
        let many = Self.decode([Array("data: 0123456789\ndata: 0123456789\n\ndata: ok\n\n".utf8)[...]], decoder: &data)
        #expect(many == [Event(name: nil, data: "0123456789"), Event(name: nil, data: "ok")])
        #expect(data.droppedLines == 1)
    }
}
