import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump
@testable import tracespool_dump

@Suite struct SpansTests {
    private func lines(_ spool: TemporarySpool, _ filter: SpanFilter, json: Bool = false, limit: Int? = nil) throws
        -> [String]
    {
        let segments = try spool.segments()
        let out = Fixture.render {
            SpanLister(filter: filter, json: json, limit: limit).run(segments: segments, to: &$0)
        }
        return out.split(separator: "\n").map(String.init)
    }

    @Test func jsonLinesAreOTLPJSONWithHexIDsAndStringInt64s() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            let out = try lines(spool, SpanFilter(), json: true)
            #expect(out.count == 7)
            let objects = try out.map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            let chat = try #require(objects.first)
            #expect(chat["traceId"] as? String == "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a")
            #expect(chat["spanId"] as? String == "0a00000000000002")
            #expect(chat["parentSpanId"] as? String == "0a00000000000001")
            #expect(chat["name"] as? String == "chat")
            #expect(chat["startTimeUnixNano"] as? String == String(Fixture.t0 + 100 * Fixture.ms))
            #expect(chat["endTimeUnixNano"] as? String == String(Fixture.t0 + 600 * Fixture.ms))
            let attributes = try #require(chat["attributes"] as? [[String: Any]])
            let tokens = try #require(attributes.first { $0["key"] as? String == "gen_ai.usage.input_tokens" })
            #expect((tokens["value"] as? [String: Any])?["intValue"] as? String == "120")
            let failed = objects[3]
            #expect((failed["status"] as? [String: Any])?["code"] as? Int == 2)
            #expect(
                objects.allSatisfy { ($0["traceId"] as? String)?.count == 32 && ($0["spanId"] as? String)?.count == 16 }
            )
        }
    }

    @Test func filtersSelectSpans() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            func names(_ f: SpanFilter) throws -> [String] {
                try lines(spool, f, json: true).map {
                    try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["spanId"]
                        as! String
                }
            }
            #expect(try names(SpanFilter(trace: "0B0B")) == ["0b00000000000002", "0b00000000000001"])
            #expect(try names(SpanFilter(trace: "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a")).count == 5)
            #expect(try names(SpanFilter(session: "s-1")) == ["0a00000000000002", "0a00000000000001"])
            #expect(try names(SpanFilter(user: "u-2")) == ["0b00000000000001"])
            #expect(try names(SpanFilter(nameContains: "fet")) == ["0a00000000000004"])
            #expect(try names(SpanFilter(errorsOnly: true)) == ["0a00000000000005", "0b00000000000002"])
            let since = Fixture.t0 + 900 * Fixture.ms
            let until = Fixture.t0 + 2050 * Fixture.ms
            #expect(
                try names(SpanFilter(sinceUnixNanos: since, untilUnixNanos: until)) == [
                    "0a00000000000005", "0b00000000000001",
                ])
            #expect(try names(SpanFilter(session: "s-1", errorsOnly: true)) == [])
            #expect(try lines(spool, SpanFilter(), limit: 3).count == 3)
            #expect(throws: DumpError.invalidTraceID("xyz")) { try SpanFilter(trace: "xyz") }
            #expect(
                DumpError.invalidTraceID("xyz").message
                    == "--trace xyz: expected a trace id or a prefix of one in hex (up to 32 digits)")
        }
    }

    @Test func hostileTextIsMadeSafeForTerminals() throws {
        try withTemporarySpool { spool in
            var segment = Fixture.segment()
            try segment.append([Fixture.span(1, 1, name: "evil\u{1B}[2Jname\nnext", from: 0, to: 1)])
            try segment.write(into: spool.path)
            let out = try lines(spool, SpanFilter())
            #expect(out.count == 1)
            #expect(!out[0].contains("\u{1B}"))
            #expect(out[0].contains("evil?[2Jname?next"))
        }
    }

    @Test func undecodableSpanRecordsAreReportedNotPrinted() throws {
        try withTemporarySpool { spool in
            var segment = Fixture.segment()
            try segment.appendFrame(records: [
                (.span, [0x0A, 0xFF, 0x01]),  // length runs past the end
                (.span, Fixture.span(1, 1, name: "ok", from: 0, to: 1).serialized()),
            ])
            try segment.write(into: spool.path)
            let segments = try spool.segments()
            var out = ""
            let result = SpanLister().run(segments: segments, to: &out)
            #expect(result.printed == 1)
            #expect(result.spansRead == 2)
            #expect(result.diagnostics.count == 1)
            #expect(result.diagnostics.messages[0].contains("not a valid OTLP span"))
        }
    }
}
