import SpoolBase

/// What `FakeLLMProvider` answers to one request.
struct FakeReply {
    /// The body: whole, or server-sent events written one by one (each already framed, blank line included).
    enum Body {
        case whole([UInt8])
        case events([[UInt8]])
    }

    var status: Int
    var headers: [(String, String)]
    var body: Body
    /// For `events`: stop after this many events and never end the response (`x-fake-stall-after`).
    var stallAfterEvents: Int?

    /// A JSON reply.
    static func json(_ value: JSONValue, status: Int = 200, headers: [(String, String)] = []) -> FakeReply {
        FakeReply(
            status: status, headers: [("Content-Type", "application/json")] + headers,
            body: .whole(FakeJSON.bytes(value)))
    }

    /// A server-sent-event stream (https://html.spec.whatwg.org/multipage/server-sent-events.html).
    static func events(_ events: [[UInt8]]) -> FakeReply {
        FakeReply(
            status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")],
            body: .events(events))
    }

    /// One event: `event: name` (when given) and one `data:` line, then the blank line that ends it.
    static func event(_ name: String?, _ data: JSONValue) -> [UInt8] {
        event(name, text: FakeJSON.text(data))
    }

    /// One event whose data is `text` (one line).
    static func event(_ name: String?, text: String) -> [UInt8] {
        var out = ""
        if let name { out += "event: \(name)\n" }
        out += "data: \(text)\n\n"
        return Array(out.utf8)
    }
}
