import Foundation
import OTLPWire
import Testing

/// Cross-checks an encoded ExportTraceServiceRequest against the official Python
/// `opentelemetry-proto` parser (Tests/OTLPWireTests/Python/parse_request.py).
///
/// If the Python module is unavailable the test returns early with a note, except when the
/// environment variable `CI` is `"true"`: then it fails, because CI installs the module.
@Suite("Python cross-check")
struct PythonCrossCheckTests {
    static let pythonDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Python")

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    static func pythonModuleAvailable() -> Bool {
        guard let result = try? run(["-c", "import opentelemetry.proto.collector.trace.v1.trace_service_pb2"]) else {
            return false
        }
        return result.status == 0
    }

    /// Returns false (after recording an issue when `CI=true`) if the Python module is missing.
    static func requirePython() -> Bool {
        if pythonModuleAvailable() { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record(
                "python3 module opentelemetry.proto is missing but CI=true; run `pip install opentelemetry-proto`")
        } else {
            print("note: skipping Python cross-check; `pip install opentelemetry-proto` to enable it")
        }
        return false
    }

    static func temporaryFile(_ suffix: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("otlpwire-\(UUID().uuidString).\(suffix)")
    }

    @Test func officialParserReadsOurRequest() throws {
        guard Self.requirePython() else { return }

        let resource = OTLPResource(attributes: [OTLPKeyValue("service.name", .string("spool-test"))])
        let scope = OTLPInstrumentationScope(name: "TraceSpool", version: "0.1.0")
        var second = Fixtures.goldenSpan
        second.name = "span with a long name " + String(repeating: "ü", count: 100)
        second.attributes.append(OTLPKeyValue("big", .string(String(repeating: "z", count: 20_000))))
        second.startTimeUnixNano = UInt64.max
        var builder = ExportTraceRequestBuilder()
        builder.addGroup(
            resource: resource.serialized(),
            scope: scope.serialized(),
            spans: [Fixtures.goldenSpan.serialized(), second.serialized()],
            resourceSchemaURL: "https://opentelemetry.io/schemas/1.21.0",
            scopeSchemaURL: "https://example.com/scope"
        )
        builder.addGroup(resource: OTLPResource(), scope: OTLPInstrumentationScope(name: "empty"), spans: [])

        let file = Self.temporaryFile("pb")
        try Data(builder.bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let result = try Self.run([Self.pythonDirectory.appendingPathComponent("parse_request.py").path, file.path])
        #expect(result.status == 0, "python stderr: \(String(decoding: result.stderr, as: UTF8.self))")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
        #expect(json.count == 2)

        let group = try #require(json.first)
        #expect(group["schemaUrl"] as? String == "https://opentelemetry.io/schemas/1.21.0")
        let resourceAttributes = try #require(group["resource"] as? [String: Any])
        #expect((resourceAttributes["service.name"] as? [String: Any])?["string"] as? String == "spool-test")
        let scopes = try #require(group["scopes"] as? [[String: Any]])
        #expect(scopes.count == 1)
        #expect(scopes[0]["name"] as? String == "TraceSpool")
        #expect(scopes[0]["version"] as? String == "0.1.0")
        #expect(scopes[0]["schemaUrl"] as? String == "https://example.com/scope")
        let spans = try #require(scopes[0]["spans"] as? [[String: Any]])
        #expect(spans.count == 2)

        let s = spans[0]
        #expect(s["traceId"] as? String == "0102030405060708090a0b0c0d0e0f10")
        #expect(s["spanId"] as? String == "a1a2a3a4a5a6a7a8")
        #expect(s["parentSpanId"] as? String == "b1b2b3b4b5b6b7b8")
        #expect(s["traceState"] as? String == "a=b")
        #expect(s["name"] as? String == "GET /users")
        #expect(s["kind"] as? Int == 2)
        #expect(s["start"] as? String == "1700000000000000000")
        #expect(s["end"] as? String == "1700000000123456789")
        #expect(s["flags"] as? Int == 0x301)
        #expect(s["statusCode"] as? Int == 2)
        #expect(s["statusMessage"] as? String == "boom")
        #expect(s["droppedAttributes"] as? Int == 1)
        let attributes = try #require(s["attributes"] as? [String: Any])
        #expect((attributes["http.status_code"] as? [String: Any])?["int"] as? String == "200")
        #expect((attributes["neg"] as? [String: Any])?["int"] as? String == "-1")
        #expect((attributes["retry"] as? [String: Any])?["bool"] as? Bool == true)
        #expect((attributes["ratio"] as? [String: Any])?["double"] as? Double == 0.5)
        #expect((attributes["ünï"] as? [String: Any])?["string"] as? String == "😀")
        let kvl = (attributes["kvl"] as? [String: Any])?["kvlist"] as? [String: Any]
        #expect((kvl?["inner"] as? [String: Any])?["bytes"] as? String == "0001ff")
        let arr = (attributes["arr"] as? [String: Any])?["array"] as? [[String: Any]]
        #expect(arr?.count == 2)
        #expect(arr?.last?["string"] as? String == "x")
        let events = try #require(s["events"] as? [[String: Any]])
        #expect(events.first?["time"] as? String == "1700000000000000500")
        #expect(events.first?["name"] as? String == "evt")
        let links = try #require(s["links"] as? [[String: Any]])
        #expect(links.first?["spanId"] as? String == "c1c2c3c4c5c6c7c8")
        #expect(links.first?["flags"] as? Int == 1)

        let big = spans[1]
        #expect(big["start"] as? String == "18446744073709551615")
        #expect((big["name"] as? String)?.hasSuffix(String(repeating: "ü", count: 100)) == true)
        let bigAttributes = try #require(big["attributes"] as? [String: Any])
        #expect(((bigAttributes["big"] as? [String: Any])?["string"] as? String)?.count == 20_000)

        let emptyGroup = json[1]
        let emptyScopes = try #require(emptyGroup["scopes"] as? [[String: Any]])
        #expect(emptyScopes.first?["name"] as? String == "empty")
        #expect((emptyScopes.first?["spans"] as? [Any])?.isEmpty == true)
    }

    @Test func officialJSONParserAgreesWithBinaryEncoding() throws {
        guard Self.requirePython() else { return }
        let resource = OTLPResource(
            attributes: [OTLPKeyValue("service.name", .string("json-test"))], droppedAttributesCount: 2)
        let scope = OTLPInstrumentationScope(
            name: "TraceSpool", version: "9", attributes: [OTLPKeyValue("s", .int(-7))])
        var span = Fixtures.goldenSpan
        span.attributes += [
            OTLPKeyValue("escapes", .string("q\" b\\ c\u{1} d\u{7F} e\u{2028} 😀 \n")),
            OTLPKeyValue("min", .int(Int64.min)),
            OTLPKeyValue("tiny", .double(.leastNonzeroMagnitude)),
            OTLPKeyValue("null", .empty),
            OTLPKeyValue("emptyArray", .array([])),
        ]
        span.events.append(OTLPEvent(timeUnixNano: 1, name: "e2", droppedAttributesCount: 4))
        span.links.append(
            OTLPLink(
                traceID: Array(repeating: 0xEE, count: 16), spanID: Array(repeating: 0xDD, count: 8),
                attributes: [OTLPKeyValue("l", .bool(false))], droppedAttributesCount: 5))
        let spans = [span, OTLPSpan(traceID: Fixtures.traceID, spanID: Fixtures.spanID, name: "minimal")]

        var builder = ExportTraceRequestBuilder()
        builder.addGroup(
            resource: resource, scope: scope, spans: spans, resourceSchemaURL: "https://r", scopeSchemaURL: "https://s")
        let json = OTLPJSON.encodeExportRequest(
            resource: resource, scope: scope, spans: spans,
            resourceSchemaURL: "https://r", scopeSchemaURL: "https://s")

        let jsonFile = Self.temporaryFile("json"), binaryFile = Self.temporaryFile("pb")
        try Data(json.utf8).write(to: jsonFile)
        try Data(builder.bytes).write(to: binaryFile)
        defer {
            try? FileManager.default.removeItem(at: jsonFile)
            try? FileManager.default.removeItem(at: binaryFile)
        }
        let result = try Self.run([
            Self.pythonDirectory.appendingPathComponent("compare_json_request.py").path, jsonFile.path, binaryFile.path,
        ])
        let output = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0, "python stderr: \(String(decoding: result.stderr, as: UTF8.self))")
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "equal", "\(output)")
    }
}
