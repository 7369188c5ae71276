import Foundation
import OTLPWire
import Testing

@Suite("OTLP/JSON")
struct OTLPJSONTests {
    static func parse(_ json: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        return try #require(object as? [String: Any])
    }

    static func attribute(_ span: [String: Any], _ key: String) -> [String: Any]? {
        (span["attributes"] as? [[String: Any]])?.first { $0["key"] as? String == key }?["value"] as? [String: Any]
    }

    @Test func spanFields() throws {
        let json = OTLPJSON.encode(Fixtures.goldenSpan)
        let span = try Self.parse(json)
        #expect(span["traceId"] as? String == "0102030405060708090a0b0c0d0e0f10")
        #expect(span["spanId"] as? String == "a1a2a3a4a5a6a7a8")
        #expect(span["parentSpanId"] as? String == "b1b2b3b4b5b6b7b8")
        #expect(span["traceState"] as? String == "a=b")
        #expect(span["name"] as? String == "GET /users")
        #expect(span["kind"] as? Int == 2)
        #expect(span["flags"] as? Int == 0x301)
        #expect(span["startTimeUnixNano"] as? String == "1700000000000000000")
        #expect(span["endTimeUnixNano"] as? String == "1700000000123456789")
        #expect(span["droppedAttributesCount"] as? Int == 1)
        #expect(span["droppedEventsCount"] as? Int == 2)
        #expect(span["droppedLinksCount"] as? Int == 3)
        #expect(Self.attribute(span, "http.method")?["stringValue"] as? String == "GET")
        #expect(Self.attribute(span, "http.status_code")?["intValue"] as? String == "200")
        #expect(Self.attribute(span, "neg")?["intValue"] as? String == "-1")
        #expect(Self.attribute(span, "retry")?["boolValue"] as? Bool == true)
        #expect(Self.attribute(span, "ratio")?["doubleValue"] as? Double == 0.5)
        #expect(Self.attribute(span, "ünï")?["stringValue"] as? String == "😀")
        let array = (Self.attribute(span, "arr")?["arrayValue"] as? [String: Any])?["values"] as? [[String: Any]]
        #expect(array?.first?["intValue"] as? String == "1")
        #expect(array?.last?["stringValue"] as? String == "x")
        let kvlist = (Self.attribute(span, "kvl")?["kvlistValue"] as? [String: Any])?["values"] as? [[String: Any]]
        #expect(kvlist?.first?["key"] as? String == "inner")
        #expect((kvlist?.first?["value"] as? [String: Any])?["bytesValue"] as? String == "AAH/")
        let event = try #require((span["events"] as? [[String: Any]])?.first)
        #expect(event["timeUnixNano"] as? String == "1700000000000000500")
        #expect(event["name"] as? String == "evt")
        let link = try #require((span["links"] as? [[String: Any]])?.first)
        #expect(link["spanId"] as? String == "c1c2c3c4c5c6c7c8")
        #expect(link["traceState"] as? String == "k=v")
        #expect(link["flags"] as? Int == 1)
        let status = try #require(span["status"] as? [String: Any])
        #expect(status["code"] as? Int == 2)
        #expect(status["message"] as? String == "boom")
    }

    @Test func defaultsAreOmitted() throws {
        #expect(OTLPJSON.encode(OTLPSpan()) == "{}")
        let json = OTLPJSON.encode(OTLPSpan(name: "n", status: OTLPStatus(code: .ok)))
        #expect(json == #"{"name":"n","status":{"code":1}}"#)
    }

    @Test func int64ExtremesAreDecimalStrings() throws {
        let span = OTLPSpan(
            startTimeUnixNano: UInt64.max,
            attributes: [
                OTLPKeyValue("min", .int(Int64.min)), OTLPKeyValue("max", .int(Int64.max)),
                OTLPKeyValue("zero", .int(0)),
            ])
        let parsed = try Self.parse(OTLPJSON.encode(span))
        #expect(parsed["startTimeUnixNano"] as? String == "18446744073709551615")
        #expect(Self.attribute(parsed, "min")?["intValue"] as? String == "-9223372036854775808")
        #expect(Self.attribute(parsed, "max")?["intValue"] as? String == "9223372036854775807")
        #expect(Self.attribute(parsed, "zero")?["intValue"] as? String == "0")
    }

    @Test func stringEscaping() throws {
        let nasty =
            "quote\" backslash\\ slash/ nl\n cr\r tab\t bs\u{8} ff\u{C} nul\u{0} ctl\u{1F} del\u{7F} é 日本 😀 🇺🇳 ls\u{2028} ps\u{2029} \u{E2}\u{82}\u{AC}"
        let span = OTLPSpan(name: nasty, attributes: [OTLPKeyValue(nasty, .string(nasty))])
        let json = OTLPJSON.encode(span)
        #expect(json.contains(#"quote\" backslash\\ slash/ nl\n cr\r tab\t bs\b ff\f nul\u0000 ctl\u001f del\u007f"#))
        #expect(json.contains(#"ls\u2028 ps\u2029"#))
        #expect(json.contains("😀"))
        #expect(!json.utf8.contains { $0 < 0x20 })
        let parsed = try Self.parse(json)
        #expect(parsed["name"] as? String == nasty)
        let attribute = try #require((parsed["attributes"] as? [[String: Any]])?.first)
        #expect(attribute["key"] as? String == nasty)
        #expect((attribute["value"] as? [String: Any])?["stringValue"] as? String == nasty)
    }

    @Test func everyAsciiCharacterRoundTrips() throws {
        let all = String(decoding: Array(0...127) as [UInt8], as: UTF8.self)
        let parsed = try Self.parse(OTLPJSON.encode(OTLPSpan(name: all)))
        #expect(parsed["name"] as? String == all)
    }

    @Test func doublesAndEmptyValues() throws {
        let span = OTLPSpan(attributes: [
            OTLPKeyValue("nan", .double(.nan)),
            OTLPKeyValue("inf", .double(.infinity)),
            OTLPKeyValue("ninf", .double(-.infinity)),
            OTLPKeyValue("small", .double(1e-7)),
            OTLPKeyValue("big", .double(1.5e300)),
            OTLPKeyValue("null", .empty),
            OTLPKeyValue("bytes", .bytes([1, 2])),
        ])
        let parsed = try Self.parse(OTLPJSON.encode(span))
        #expect(Self.attribute(parsed, "nan")?["doubleValue"] as? String == "NaN")
        #expect(Self.attribute(parsed, "inf")?["doubleValue"] as? String == "Infinity")
        #expect(Self.attribute(parsed, "ninf")?["doubleValue"] as? String == "-Infinity")
        #expect(Self.attribute(parsed, "small")?["doubleValue"] as? Double == 1e-7)
        #expect(Self.attribute(parsed, "big")?["doubleValue"] as? Double == 1.5e300)
        #expect(Self.attribute(parsed, "null")?.isEmpty == true)
        #expect(Self.attribute(parsed, "bytes")?["bytesValue"] as? String == "AQI=")
    }

    @Test func appendingToBuffer() {
        var buffer: [UInt8] = Array("prefix:".utf8)
        OTLPJSON.encode(OTLPSpan(name: "a"), appendingTo: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:{"name":"a"}"#)
    }

    @Test func exportRequest() throws {
        let json = OTLPJSON.encodeExportRequest(
            resource: OTLPResource(attributes: [OTLPKeyValue("service.name", .string("svc"))]),
            scope: OTLPInstrumentationScope(name: "TraceSpool", version: "1.0"),
            spans: [Fixtures.goldenSpan, OTLPSpan(name: "second")],
            resourceSchemaURL: "https://r",
            scopeSchemaURL: "https://s"
        )
        let root = try Self.parse(json)
        let rs = try #require((root["resourceSpans"] as? [[String: Any]])?.first)
        #expect(rs["schemaUrl"] as? String == "https://r")
        let resource = try #require(rs["resource"] as? [String: Any])
        #expect(Self.attribute(resource, "service.name")?["stringValue"] as? String == "svc")
        let ss = try #require((rs["scopeSpans"] as? [[String: Any]])?.first)
        #expect(ss["schemaUrl"] as? String == "https://s")
        #expect((ss["scope"] as? [String: Any])?["name"] as? String == "TraceSpool")
        #expect((ss["scope"] as? [String: Any])?["version"] as? String == "1.0")
        let spans = try #require(ss["spans"] as? [[String: Any]])
        #expect(spans.count == 2)
        #expect(spans[0]["traceId"] as? String == "0102030405060708090a0b0c0d0e0f10")
        #expect(spans[1]["name"] as? String == "second")
    }
}
