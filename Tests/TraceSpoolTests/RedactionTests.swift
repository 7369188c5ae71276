import Foundation
import Logging
import OTLPWire
import SpoolFormat
import SpoolTestSupport
import Synchronization
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

// Holds the `swift` block of Docs/Tracer.md, "Redaction", verbatim (checked by `DocumentationTests`).

extension TracerTests {
    /// Redaction before disk: what the tracer writes holds no credential, wherever the application put it.
    @Suite("Redaction")
    struct RedactionTests {
        /// A fake credential of one shape: `value` is what the application records, `secret` the bytes that must
        /// not reach the disk, `marker` what replaces them.
        struct Credential: Sendable, CustomTestStringConvertible {
            var value: String
            var secret: String
            var marker: String
            var testDescription: String { marker }
        }

        static let credentials: [Credential] = [
            Credential(
                value: "sk-proj-Zq81xWv0LmTr5uYpB2nKdE7a", secret: "Zq81xWv0LmTr5uYpB2nKdE7a",
                marker: "[REDACTED:openai-key]"),
            Credential(
                value: "sk-ant-api03-Hs7dQk2LmP9wXr4tZn6b", secret: "Hs7dQk2LmP9wXr4tZn6b",
                marker: "[REDACTED:anthropic-key]"),
            Credential(
                value: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3In0.Qm9va3M", secret: "eyJhbGciOiJIUzI1NiJ9",
                marker: "Bearer [REDACTED:bearer-token]"),
            Credential(
                value: "AKIAZ7QW3ERT5YUI8OPL", secret: "Z7QW3ERT5YUI8OPL", marker: "[REDACTED:aws-access-key-id]"),
            Credential(
                value: "ghp_R2d2C3poBb8Yoda4Luke5Leia6Han7Solo9x", secret: "R2d2C3poBb8Yoda4Luke5Leia6Han7Solo9x",
                marker: "[REDACTED:github-token]"),
            Credential(
                value: "github_pat_11AZQW3ERT0_PoiuYtrEWqLkjhGfdSa", secret: "11AZQW3ERT0_PoiuYtrEWqLkjhGfdSa",
                marker: "[REDACTED:github-token]"),
            Credential(
                value:
                    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----",
                secret: "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo", marker: "[REDACTED:private-key]"),
        ]

        struct Reply: Encodable {
            var text: String
            var status: Int
        }

        @Test(
            "every credential shape, in every place a value enters, is replaced before it reaches the disk",
            arguments: credentials)
        func everyPlace(credential: Credential) async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer {
                    $0.compress = false  // so that the raw files would show the secret
                    $0.resourceAttributes = [("deployment.note", "deployed with \(credential.value)")]
                    $0.maxInputOutputBytes = 1 << 20
                }
                let text = "before \(credential.value) after"
                let redacted = "before \(credential.marker) after"
                let linked = tracer.startSpan("linked")
                linked.end()
                // Typed attributes (the fast path when short), the attributes dictionary, a string array.
                let span = tracer.startSpan("call", attributes: [.string("typed", text), .int("n", 1)])
                span.attributes["dictionary"] = "\(text)"
                span.setAttribute("array", .stringArray(["clean", text]))
                span.addEvent(SpanEvent(name: "retry", attributes: ["event.detail": "\(text)"]))
                span.addLink(SpanLink(context: linked.context, attributes: ["link.detail": "\(text)"]))
                span.setStatus(SpanStatus(code: .error, message: text))
                span.setInput(text)
                span.setOutput(Reply(text: text, status: 200))
                span.end()
                // A span without events, links or status: the encoder's fast path, unless the value is too long.
                let plain = tracer.startSpan("plain", attributes: [.string("typed", text)])
                plain.attributes["dictionary"] = "\(text)"
                plain.end()
                let generation = tracer.startSpan("generation")
                generation.setInputMessages([ChatMessage(role: "user", content: text)])
                generation.end()
                tracer.withSpan(.agent, "agent") { _ in
                    tracer.recordCommand("deploy", exitCode: 0, stdout: text)
                }

                let contents = try await spool.contents()
                #expect(contents.isIntact)
                let call = try #require(contents.span(named: "call"))
                #expect(call.string("typed") == redacted)
                #expect(call.string("dictionary") == redacted)
                #expect(call.attributes.get("array") == .stringArray(["clean", redacted]))
                #expect(call.events.first?.attributes.get("event.detail") == .string(redacted))
                #expect(call.links.first?.attributes.get("link.detail") == .string(redacted))
                #expect(call.status?.message == redacted)
                #expect(call.string(AttributeNames.inputValue) == redacted)
                let output = try #require(call.string(AttributeNames.outputValue))
                #expect(output.contains(credential.marker))
                #expect(call.resource.get("deployment.note") == .string("deployed with \(credential.marker)"))
                let plainRecorded = try #require(contents.span(named: "plain"))
                #expect(plainRecorded.string("typed") == redacted)
                #expect(plainRecorded.string("dictionary") == redacted)
                let messages = try #require(contents.span(named: "generation"))
                #expect(messages.string("llm.input_messages.0.message.content") == redacted)
                #expect(try #require(messages.string(AttributeNames.inputValue)).contains(credential.marker))
                let command = try #require(contents.span(named: "command"))
                #expect(command.string(AttributeNames.outputValue) == redacted)

                for (where_, bytes) in try Self.diskBytes(spool.path) {
                    #expect(!Self.contains(bytes, credential.secret), "the secret is in \(where_)")
                }
                // resource, typed, dictionary, array element, event, link, status, input, output, the plain span's
                // typed and dictionary, message content, stdout. The messages' input.value is written from the
                // redacted content: the same credential is not counted twice.
                #expect(tracer.statistics.valuesRedacted == 13)
            }
        }

        @Test("a value cut to a size limit is redacted before the cut: no fragment of a credential is left")
        func redactedBeforeCut() async throws {
            try await withTemporarySpool { spool in
                let value = "01 sk-proj-Zq81xWv0LmTr5uYpB2nKdE7a"
                let capture = spool.makeQuietTracer {
                    $0.compress = false
                    $0.maxInputOutputBytes = 20
                }
                let limited = spool.makeQuietTracer {
                    $0.compress = false
                    $0.attributeValueLengthLimit = 20
                }
                let io = capture.startSpan("io")
                io.setInput(value)
                io.end()
                limited.startSpan("attribute", attributes: [.string("long", value)]).end()
                let contents = try await spool.contents()
                let input = contents.span(named: "io")?.string(AttributeNames.inputValue)
                #expect(input == "01 [REDACTED:openai-…[truncated]")
                #expect(contents.span(named: "attribute")?.string("long") == "01 [REDACTED:openai-")
                for (where_, bytes) in try Self.diskBytes(spool.path) {
                    #expect(!Self.contains(bytes, "Zq81xWv0"), "a fragment of the key is in \(where_)")
                }
            }
        }

        @Test("near misses of each shape are written unchanged and not counted")
        func nearMisses() async throws {
            let values = [
                "sk-Ab3dEf6hIj9kLm2nOp5", "task-force-alpha-bravo-charlie", "sk-ant-Ab3dEf6hIj9kLm2nOp5",
                "Bearer of bad news, all of it", "Bearer abcdefghijklmno", "AKIAIOSFODNN7EXAMPLEX",
                "XAKIAIOSFODNN7EXAMPLE", "ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zQ7", "github_pat_11ABCDEFG0abcdefghij",
                "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqh\n-----END PUBLIC KEY-----",
            ]
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let span = tracer.startSpan("near")
                for (i, value) in values.enumerated() { span.setAttribute("v\(i)", .string(value)) }
                span.end()
                let near = try #require(try await spool.contents().span(named: "near"))
                for (i, value) in values.enumerated() { #expect(near.string("v\(i)") == value) }
                #expect(tracer.statistics.valuesRedacted == 0)
            }
        }

        @Test("attribute keys matching a configured name or glob are written as [REDACTED], whatever the value")
        func keyPatterns() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer {
                    $0.compress = false
                    $0.redaction.keys = ["*password*", "http.request.header.authorization"]
                    $0.resourceAttributes = [("db.password", "hunter2-resource")]
                }
                let span = tracer.startSpan(
                    "login",
                    attributes: [
                        .string("db.Password", "hunter2-typed"), .int("user.password_length", 7),
                        .string("http.request.header.authorization", "Basic dXNlcjpwYXNz"),
                        .string("http.request.header.accept", "application/json"),
                    ])
                span.attributes["new_password"] = "hunter2-dictionary"
                span.addEvent(SpanEvent(name: "e", attributes: ["PASSWORD": "hunter2-event"]))
                span.end()
                let login = try #require(try await spool.contents().span(named: "login"))
                for key in ["db.Password", "user.password_length", "http.request.header.authorization", "new_password"]
                {
                    #expect(login.string(key) == "[REDACTED]", "\(key)")
                }
                #expect(login.string("http.request.header.accept") == "application/json")
                #expect(login.events.first?.attributes.get("PASSWORD") == .string("[REDACTED]"))
                #expect(login.resource.get("db.password") == .string("[REDACTED]"))
                for (where_, bytes) in try Self.diskBytes(spool.path) {
                    #expect(!Self.contains(bytes, "hunter2"), "a password is in \(where_)")
                    #expect(!Self.contains(bytes, "dXNlcjpwYXNz"), "the authorization is in \(where_)")
                }
                #expect(tracer.statistics.valuesRedacted == 6)
            }
        }

        @Test(
            "TRACESPOOL_REDACT_KEYS and TRACESPOOL_REDACT_DEFAULTS, an unparsable value reported and the default kept")
        func environment() async throws {
            let c = TracerConfiguration.fromEnvironment([
                "TRACESPOOL_REDACT_KEYS": " *secret* , api.key,, ", "TRACESPOOL_REDACT_DEFAULTS": "OFF",
            ])
            #expect(c.redaction == RedactionConfiguration(keys: ["*secret*", "api.key"], credentialShapes: false))
            #expect(c.warnings.isEmpty)
            #expect(TracerConfiguration.fromEnvironment([:]).redaction == RedactionConfiguration())
            #expect(TracerConfiguration.fromEnvironment([:]).redaction.credentialShapes)
            let bad = TracerConfiguration.fromEnvironment(["TRACESPOOL_REDACT_DEFAULTS": "sometimes"])
            #expect(bad.redaction.credentialShapes, "an unparsable switch keeps the safe default")
            #expect(bad.warnings.count == 1)
            #expect(bad.warnings.first?.hasPrefix("TRACESPOOL_REDACT_DEFAULTS=sometimes") == true)

            try await withTemporarySpool { spool in
                let env = ["TRACESPOOL_REDACT_KEYS": "*secret*", "TRACESPOOL_REDACT_DEFAULTS": "off"]
                let tracer = spool.makeQuietTracer { $0.redaction = TracerConfiguration.fromEnvironment(env).redaction }
                let span = tracer.startSpan("env")
                span.setAttribute("client_secret", .string("s3"))
                span.setAttribute("aws", .string("AKIAIOSFODNN7EXAMPLE"))
                span.end()
                let recorded = try #require(try await spool.contents().span(named: "env"))
                #expect(recorded.string("client_secret") == "[REDACTED]")
                #expect(recorded.string("aws") == "AKIAIOSFODNN7EXAMPLE", "shapes off")
                #expect(tracer.statistics.valuesRedacted == 1)
            }
        }

        @Test("the first redaction is logged once, by rule, without the value")
        func loggedOnce() async throws {
            try await withTemporarySpool { spool in
                let log = CapturedLogs()
                let tracer = spool.adopt(SpoolTracer(configuration: spool.configuration, logger: log.logger()))
                for _ in 0..<3 {
                    tracer.startSpan("s", attributes: [.string("k", "AKIAIOSFODNN7EXAMPLE")]).end()
                }
                _ = try await spool.contents()
                let logged = log.entries.map { "\($0.message) \($0.metadata)" }
                let lines = logged.filter { $0.contains("redacted") }
                #expect(lines.count == 1)
                #expect(lines.first?.contains("aws-access-key-id") == true)
                #expect(!logged.contains { $0.contains("IOSFODNN") })
                #expect(tracer.statistics.valuesRedacted == 3)
            }
        }

        @Test(
            "messages are redacted string by string, and their JSON text is written from the redacted strings",
            arguments: ["\u{2028}", "\u{2029}", "\u{7F}", "\n"])
        func messageTextFromRedactedStrings(separator: String) throws {
            // Whatever escape the JSON text gives the character before the credential, no attribute holds the secret,
            // and each credential counts once: the text is written from the redacted content and arguments.
            let h = EncoderHarness()
            let storage = h.span("chat", type: .generation)
            let span = SpoolSpan(storage: storage)
            let secret = "AKIAIOSFODNN7EXAMPLE"
            span.setInputMessages([
                ChatMessage(role: "user", content: "keys:\(separator)\(secret)\(separator)end"),
                ChatMessage(
                    role: "assistant", content: "",
                    toolCalls: [
                        ToolCall(id: "call_1", name: "deploy", arguments: "{\"key\":\"x\(separator)\(secret)\"}")
                    ]),
            ])
            let record = h.record(storage)
            let written = try OTLPSpan(decoding: #require(EncoderHarness.body(ofRecord: record)))
            var strings = 0
            for attribute in written.attributes {
                guard case .string(let value) = attribute.value else { continue }
                strings += 1
                #expect(!value.contains(secret), "\(attribute.key) holds the secret")
            }
            #expect(strings == 11, "the span type's two and the messages' nine")
            let json = try #require(written.attributes.first { $0.key == AttributeNames.inputValue }?.value)
            #expect(json != .string(""))
            #expect(h.core.redactor.valuesRedacted == 2, "the content and the arguments, once each")
        }

        @Test("the example of Docs/Tracer.md, Redaction")
        func documentationExample() async throws {
            try await withTemporarySpool { spool in
                var configuration = spool.configuration
                configuration.logLevel = .critical
                try await redactionExample(configuration, spool)
            }
        }

        func redactionExample(_ configuration: TracerConfiguration, _ spool: TemporarySpool) async throws {
            var configuration = configuration
            configuration.redaction.keys = ["*password*", "http.request.header.authorization"]
            let tracer = SpoolTracer(configuration: configuration)
            tracer.withSpan("login") { span in
                span.attributes["db.password"] = "hunter2"  // written as "[REDACTED]"
                span.attributes["note"] = "key sk-proj-Zq81xWv0LmTr5uYpB2nKdE7a"  // "key [REDACTED:openai-key]"
            }
            tracer.forceFlush()
            print(tracer.statistics.valuesRedacted)  // 2
            #expect(tracer.statistics.valuesRedacted == 2)
            tracer.shutdown()
            let login = try #require(try await spool.contents().span(named: "login"))
            #expect(login.string("db.password") == "[REDACTED]")
            #expect(login.string("note") == "key [REDACTED:openai-key]")
        }

        // MARK: Helpers

        /// Every byte the spool holds, with where it was found: each file as it is on disk, and each segment's
        /// resource and decompressed records as the reader sees them.
        static func diskBytes(_ path: String) throws -> [(String, [UInt8])] {
            var blobs: [(String, [UInt8])] = []
            for name in try FileManager.default.contentsOfDirectory(atPath: path) {
                blobs.append((name, Array(try Data(contentsOf: URL(fileURLWithPath: "\(path)/\(name)")))))
            }
            let segments = try SpoolDirectory(path: path, create: false).segments()
            #expect(!segments.isEmpty)
            for segment in segments {
                let reader = try SegmentReader(path: segment.path)
                blobs.append(("\(segment.path): resource", reader.header.resource))
                while let frame = reader.nextFrame() {
                    for record in frame.records { blobs.append(("\(segment.path): a record", Array(record.body))) }
                }
            }
            return blobs
        }

        /// Whether `bytes` hold the UTF-8 of `needle`.
        static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
            let n = Array(needle.utf8)
            guard n.count <= bytes.count else { return false }
            return (0...(bytes.count - n.count)).contains { i in bytes[i..<(i + n.count)].elementsEqual(n) }
        }
    }
}
