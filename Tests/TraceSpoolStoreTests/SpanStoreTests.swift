import Foundation
import OTLPWire
import SpoolBase
import SpoolTestSupport
import Testing

@testable import TraceSpoolStore

/// Writing spans into the store and reading them back.
@Suite struct SpanStoreTests {
    /// A span using every field the store keeps: trace state, flags (sampled + remote), a parent, attributes of each
    /// JSON type, an event, two links (the first with attributes, trace state, flags and a dropped count), a status,
    /// and dropped attribute, event and link counts.
    static func linkedSpan() -> OTLPSpan {
        OTLPSpan(
            traceID: Array(0..<16), spanID: [1, 2, 3, 4, 5, 6, 7, 8],
            traceState: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7",
            parentSpanID: [8, 7, 6, 5, 4, 3, 2, 1], flags: 0x301, name: "linked", kind: .consumer,
            startTimeUnixNano: 1_700_000_000_000_000_000, endTimeUnixNano: 1_700_000_000_250_000_000,
            attributes: [
                OTLPKeyValue("session.id", .string("sess-l")), OTLPKeyValue("n", .int(-3)),
                OTLPKeyValue("r", .double(0.5)),
                OTLPKeyValue("b", .bool(true)), OTLPKeyValue("l", .array([.string("x"), .int(1)])),
            ],
            droppedAttributesCount: 3,
            events: [
                OTLPEvent(
                    timeUnixNano: 1_700_000_000_100_000_000, name: "exception",
                    attributes: [OTLPKeyValue("exception.type", .string("E"))])
            ],
            droppedEventsCount: 4,
            links: [
                OTLPLink(
                    traceID: Array(repeating: 0x0F, count: 16), spanID: [9, 9, 9, 9, 9, 9, 9, 0xFF],
                    traceState: "vendor=x",
                    attributes: [
                        OTLPKeyValue("link.kind", .string("follows")), OTLPKeyValue("n", .int(7)),
                        OTLPKeyValue("o", .kvlist([OTLPKeyValue("k", .bool(false))])),
                    ],
                    droppedAttributesCount: 2, flags: 1),
                OTLPLink(traceID: Array(repeating: 0xEE, count: 16), spanID: Array(repeating: 0x11, count: 8)),
            ],
            droppedLinksCount: 5, status: OTLPStatus(code: .error, message: "boom"))
    }

    /// Stores `spans` as one batch with no resource or scope (as the batcher of a segment without them makes them).
    static func store(_ spans: [OTLPSpan], in store: SpanStore, segment: String? = "new.seg") throws {
        let written = try store.insert(
            spans, resource: OTLPResource(), scope: OTLPInstrumentationScope(), segment: segment)
        #expect(written == spans.count)
    }

    /// Every span of the store at `path`, and the rows read.
    static func read(_ path: String) throws -> (spans: [OTLPSpan], problems: [String], rows: Int) {
        var spans: [OTLPSpan] = []
        var problems: [String] = []
        let rows = try SpanStoreReader(path: path).forEachRow { _, row in
            switch row {
            case .success(let span): spans.append(span)
            case .failure(let problem): problems.append(problem.description)
            }
            return true
        }
        return (spans, problems, rows)
    }

    static let addedColumns =
        "trace_state, flags, links_json, dropped_attributes_count, dropped_events_count, dropped_links_count"

    @Test func everyFieldComesBackFromTheStore() throws {
        let work = TemporaryDirectory()
        let path = work.file("store.sqlite")
        let span = Self.linkedSpan()
        try Self.store([span], in: try SpanStore(path: path))
        let (spans, problems, rows) = try Self.read(path)
        #expect(rows == 1 && problems.isEmpty)
        let back = try #require(spans.first)
        #expect(back.traceState == span.traceState)
        #expect(back.flags == span.flags)
        #expect(back.links.count == 2)
        for (read, written) in zip(back.links, span.links) {
            #expect(read.traceID == written.traceID && read.spanID == written.spanID)
            #expect(read.traceState == written.traceState)
            #expect(read.attributes == written.attributes)
            #expect(read.droppedAttributesCount == written.droppedAttributesCount)
            #expect(read.flags == written.flags)
        }
        #expect(back.droppedAttributesCount == span.droppedAttributesCount)
        #expect(back.droppedEventsCount == span.droppedEventsCount)
        #expect(back.droppedLinksCount == span.droppedLinksCount)
        #expect(back.traceID == span.traceID && back.spanID == span.spanID && back.parentSpanID == span.parentSpanID)
        #expect(back.name == span.name && back.kind == span.kind && back.status == span.status)
        #expect(back.startTimeUnixNano == span.startTimeUnixNano && back.endTimeUnixNano == span.endTimeUnixNano)
        #expect(back.attributes == span.attributes && back.events == span.events)
        #expect(back == span, "no field left out")
        #expect(OTLPJSON.encode(back) == OTLPJSON.encode(span), "spans --json prints it as from the spool")
    }

    @Test func keepsTraceStateFlagsLinksAndDroppedCountsInTheirColumns() throws {
        let work = TemporaryDirectory()
        let path = work.file("store.sqlite")
        var linked = Self.linkedSpan()
        linked.traceID = Array(repeating: 0xCD, count: 16)
        linked.links[0].attributes.removeLast()
        var plain = linked
        plain.spanID = [8, 7, 6, 5, 4, 3, 2, 1]
        plain.traceState = ""
        plain.flags = 0
        plain.links = []
        plain.droppedAttributesCount = 0
        plain.droppedEventsCount = 0
        plain.droppedLinksCount = 0
        try Self.store([linked, plain], in: try SpanStore(path: path))
        let rows = try TestDatabase.query(path, "SELECT \(Self.addedColumns) FROM spans ORDER BY rowid")
        try #require(rows.count == 2)
        let links =
            #"[{"traceId":"0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f","spanId":"09090909090909ff","traceState":"vendor=x","#
            + #""attributes":{"link.kind":"follows","n":7},"droppedAttributesCount":2,"flags":1},"#
            + #"{"traceId":"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee","spanId":"1111111111111111","traceState":"","#
            + #""attributes":{},"droppedAttributesCount":0,"flags":0}]"#
        #expect(rows[0] == ["congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", "769", links, "3", "4", "5"])
        #expect(rows[1] == [nil, "0", "[]", "0", "0", "0"], "an empty trace state is NULL, no links an empty array")
        #expect(
            try TestDatabase.query(
                path,
                #"SELECT json_extract(links_json, '$[0].attributes."link.kind"'), json_array_length(links_json) "#
                    + "FROM spans WHERE flags = 769") == [["follows", "2"]])
    }

    @Test func fillsTheColumnsQueriesUse() throws {
        let work = TemporaryDirectory()
        let path = work.file("store.sqlite")
        let store = try SpanStore(path: path)
        let span = OTLPSpan(
            traceID: Array(repeating: 0xAB, count: 16), spanID: [0, 0, 0, 0, 0, 0, 0, 0x0E],
            parentSpanID: [0, 0, 0, 0, 0, 0, 0, 0x0B], name: "span-13", kind: .internal, startTimeUnixNano: 2_000,
            endTimeUnixNano: 2_500,
            attributes: [
                OTLPKeyValue("session.id", .string("session-1")), OTLPKeyValue("user.id", .string("user-1")),
                OTLPKeyValue("tracespool.span.type", .string("tool")),
                OTLPKeyValue("gen_ai.usage.input_tokens", .int(13)),
            ])
        var backwards = span
        backwards.spanID = [0, 0, 0, 0, 0, 0, 0, 0x0F]
        backwards.parentSpanID = []
        backwards.endTimeUnixNano = 1_000
        backwards.attributes = [OTLPKeyValue("session.id", .int(7))]
        let written = try store.insert(
            [span, backwards],
            resource: OTLPResource(attributes: [OTLPKeyValue("service.name", .string("upload-test"))]),
            scope: OTLPInstrumentationScope(name: "tests", version: ""), segment: "s.seg", insertedUnixNanos: 42)
        #expect(written == 2)
        let rows = try TestDatabase.query(
            path,
            """
            SELECT trace_id, span_id, parent_span_id, name, kind, duration_ns, service_name, session_id, user_id,
                   span_type, json_extract(attributes_json, '$."gen_ai.usage.input_tokens"'), scope_name,
                   scope_version, json_extract(resource_json, '$."service.name"'), segment, inserted_unix_nano
            FROM spans ORDER BY rowid
            """)
        #expect(
            rows == [
                [
                    String(repeating: "ab", count: 16), "000000000000000e", "000000000000000b", "span-13", "1", "500",
                    "upload-test", "session-1", "user-1", "tool", "13", "tests", nil, "upload-test", "s.seg", "42",
                ],
                [
                    String(repeating: "ab", count: 16), "000000000000000f", nil, "span-13", "1", "0", "upload-test",
                    "7", nil, nil, nil, "tests", nil, "upload-test", "s.seg", "42",
                ],
            ], "a span ending before it starts lasts 0; a non-string session id is its JSON")
    }

    @Test func sendingABatchAgainAddsNoRows() throws {
        let work = TemporaryDirectory()
        let path = work.file("store.sqlite")
        let store = try SpanStore(path: path)
        var spans: [OTLPSpan] = []
        for i in 0..<300 {
            var span = Self.linkedSpan()
            span.spanID = withUnsafeBytes(of: UInt64(i + 1).bigEndian, Array.init)
            span.name = "span-\(i)"
            spans.append(span)
        }
        try Self.store(spans, in: store)
        #expect(try TestDatabase.query(path, "SELECT count(*) FROM spans") == [["300"]])
        // Sent again (as after a crash before the checkpoint moved), partly with changed data: the first copy stays.
        spans[0].name = "changed"
        try Self.store(spans, in: store)
        try Self.store(spans, in: try SpanStore(path: path))
        #expect(try TestDatabase.query(path, "SELECT count(*) FROM spans") == [["300"]])
        #expect(try TestDatabase.query(path, "SELECT name FROM spans ORDER BY rowid LIMIT 1") == [["span-0"]])
        #expect(try Self.read(path).spans.map(\.name) == (0..<300).map { "span-\($0)" }, "insertion order")
    }

    @Test func aNewStoreIsInWALModeWithItsIndexes() throws {
        let work = TemporaryDirectory()
        let path = work.file("store.sqlite")
        let store = try SpanStore(path: path)
        #expect(store.addedColumns.isEmpty && store.path == path)
        #expect(try TestDatabase.query(path, "PRAGMA journal_mode") == [["wal"]])
        let indexes = try TestDatabase.query(
            path, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        #expect(indexes == [["spans_by_session"], ["spans_by_start"], ["spans_by_trace"]])
        #expect(try TestDatabase.columnNames(path).count == 27)
    }

    @Test func aFailedBatchLeavesNothingBehind() throws {
        let work = TemporaryDirectory()
        let path = work.file("store.sqlite")
        let store = try SpanStore(path: path)
        // A trigger makes the third insert fail, as a full disk would.
        try TestDatabase.execute(
            path,
            """
            CREATE TRIGGER refuse BEFORE INSERT ON spans WHEN NEW.name = 'bad'
            BEGIN SELECT RAISE(ABORT, 'refused'); END;
            """)
        var spans = (1...3).map { i in
            var span = Self.linkedSpan()
            span.spanID = [0, 0, 0, 0, 0, 0, 0, UInt8(i)]
            return span
        }
        spans[2].name = "bad"
        #expect {
            try store.insert(spans, resource: OTLPResource(), scope: OTLPInstrumentationScope(), segment: nil)
        } throws: { error in
            guard case .sqlite(let errorPath, .insert, _, let message) = error as? StoreError else { return false }
            return errorPath == path && message == "refused"
        }
        #expect(try TestDatabase.query(path, "SELECT count(*) FROM spans") == [["0"]])
        // The connection is usable again: the transaction was rolled back.
        spans[2].name = "good"
        try Self.store(spans, in: store)
        #expect(try TestDatabase.query(path, "SELECT count(*) FROM spans") == [["3"]])
    }
}
