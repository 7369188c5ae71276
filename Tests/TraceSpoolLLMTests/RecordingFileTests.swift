import SpoolBase
import Testing

@testable import TraceSpoolLLM

@Suite("LLM recording file")
struct RecordingFileTests {
    @Test("record then load: JSON bodies, chunks with their boundaries, a chunk that is not UTF-8, text bodies")
    func roundTrip() throws {
        let path = try RecordingFixtures.temporaryPath()
        let chat = RecordingFixtures.chatRequest("What is the weather in Paris?")
        let stream = RecordingFixtures.streamResponse()
        let binary: [UInt8] = [0x00, 0xFF, 0xFE, 0x41]
        let upload = RecordingFixtures.textRequest("plain text, not JSON")
        var binaryRequest = upload
        binaryRequest.body = binary
        let plainResponse = RecordedResponse(
            head: LLMHTTPResponseHead(status: 503, headers: [LLMHTTPHeader("Retry-After", "2")]),
            chunks: [Array("busy".utf8), binary])
        try RecordingFixtures.record(
            [
                (chat, RecordingFixtures.jsonResponse("Sunny.")), (chat, stream), (upload, plainResponse),
                (binaryRequest, plainResponse),
            ], to: path)

        let exchanges = try #require(try RecordingFile.read(path: path)).map(\.exchange)
        #expect(exchanges.count == 4)
        // A JSON request body is kept as its JSON value; a JSON response body as one JSON value served compactly.
        #expect(exchanges[0].method == "POST")
        #expect(exchanges[0].requestJSON == RecordingFixtures.sortedJSON(chat.body))
        let served = try JSONReader.parse(exchanges[0].response.chunks.flatMap { $0 })
        let received = try JSONReader.parse(RecordingFixtures.jsonResponse("Sunny.").chunks.flatMap { $0 })
        #expect(served == received)
        #expect(exchanges[0].response.chunks.count == 1)
        #expect(!exchanges[0].response.head.headers.contains { $0.name == "Content-Length" })
        // A stream keeps every chunk and its boundaries, byte for byte, the non-UTF-8 one included.
        #expect(exchanges[1].response == stream)
        #expect(String(validating: stream.chunks[1], as: UTF8.self) == nil)
        // Bodies that are not JSON: text and bytes.
        #expect(exchanges[2].requestBody == upload.body)
        #expect(exchanges[2].requestJSON == nil)
        #expect(exchanges[2].response == plainResponse)
        #expect(exchanges[3].requestBody == binary)

        let text = try RecordingFixtures.text(at: path)
        #expect(text.contains("\"body_text\": \"plain text, not JSON\""))
        #expect(text.contains("\"body_base64\": \"AP/+QQ==\""))
        #expect(text.contains("\"base64\": \""))
        #expect(text.contains("\"content\": \"What is the weather in Paris?\""))
    }

    @Test("the layout of a recording: versioned, two-space indentation, one member a line, request members sorted")
    func layout() throws {
        let path = try RecordingFixtures.temporaryPath()
        let request = LLMHTTPRequest(
            method: "post", url: "http://localhost:8080/v1/embeddings?key=abc",
            headers: [LLMHTTPHeader("content-type", "application/json"), LLMHTTPHeader("x-api-key", "sk-ant")],
            body: Array(#"{"model":"m","input":"hi"}"#.utf8))
        let response = RecordedResponse(
            head: LLMHTTPResponseHead(
                status: 200, headers: [LLMHTTPHeader("x-trace", "a"), LLMHTTPHeader("X-Trace", "b")]),
            chunks: [Array("data: one\n\n".utf8)])
        try RecordingFixtures.record([(request, response)], to: path)
        let expected = """
            {
              "format": "tracespool-llm-recording",
              "version": 1,
              "exchanges": [
                {
                  "request": {
                    "method": "POST",
                    "url": "http://localhost:8080/v1/embeddings?key=REDACTED",
                    "headers": {
                      "content-type": "application/json"
                    },
                    "body": {
                      "input": "hi",
                      "model": "m"
                    }
                  },
                  "response": {
                    "status": 200,
                    "headers": {
                      "x-trace": [
                        "a",
                        "b"
                      ]
                    },
                    "chunks": [
                      "data: one\\n\\n"
                    ]
                  }
                }
              ]
            }

            """
        #expect(try RecordingFixtures.text(at: path) == expected)
        let read = try #require(try RecordingFile.read(path: path))
        #expect(
            read[0].exchange.response.head.headers == [LLMHTTPHeader("x-trace", "a"), LLMHTTPHeader("x-trace", "b")])
    }

    @Test("credentials never reach the file: Authorization, x-api-key, api-key, cookies, ?key= and user information")
    func credentialsLeftOut() throws {
        let path = try RecordingFixtures.temporaryPath()
        let request = LLMHTTPRequest(
            method: "POST", url: "https://user:hunter2@llm.example.com/v1/chat/completions?key=AIzaSECRET1&x=1",
            headers: [
                LLMHTTPHeader("Authorization", "Bearer sk-SECRET2"), LLMHTTPHeader("x-api-key", "sk-ant-SECRET3"),
                LLMHTTPHeader("api-key", "SECRET4"), LLMHTTPHeader("Cookie", "session=SECRET5"),
                LLMHTTPHeader("Content-Type", "application/json"),
            ],
            body: Array(RecordingFixtures.chatBody("hi").utf8))
        let response = RecordedResponse(
            head: LLMHTTPResponseHead(
                status: 200, headers: [LLMHTTPHeader("Set-Cookie", "id=SECRET6"), LLMHTTPHeader("x-request-id", "r1")]),
            chunks: [Array(#"{"ok":true}"#.utf8)])
        try RecordingFixtures.record([(request, response)], to: path)
        let text = try RecordingFixtures.text(at: path)
        for secret in ["hunter2", "SECRET1", "SECRET2", "SECRET3", "SECRET4", "SECRET5", "SECRET6"] {
            #expect(!text.contains(secret), "\(secret) is in the recording")
        }
        #expect(text.contains("https://llm.example.com/v1/chat/completions?key=REDACTED&x=1"))
        #expect(text.contains("\"x-request-id\": \"r1\""))
        #expect(text.contains("\"Content-Type\": \"application/json\""))
    }

    @Test("the file is a complete recording after each exchange, and no temporary file is left")
    func validAfterEachAppend() throws {
        let path = try RecordingFixtures.temporaryPath()
        let recorder = RecordReplay(mode: .record, path: path)
        for i in 0..<5 {
            try recorder.session.record(
                RecordingFixtures.chatRequest("question \(i)"), RecordingFixtures.jsonResponse("answer \(i)"),
                configuration: recorder)
            let exchanges = try #require(try RecordingFile.read(path: path))
            #expect(exchanges.count == i + 1)
            #expect(
                exchanges.last?.exchange.requestJSON
                    == RecordingFixtures.sortedJSON(Array(RecordingFixtures.chatBody("question \(i)").utf8)))
        }
        let directory = FileSystem.split(path).directory
        #expect(try FileSystem.listDirectory(directory) == ["recording.json"])
    }

    @Test("mode record starts the file afresh; record-missing appends to what is there")
    func afreshAndAppend() throws {
        let path = try RecordingFixtures.temporaryPath()
        let old = RecordingFixtures.chatRequest("old question")
        let new = RecordingFixtures.chatRequest("new question")
        try RecordingFixtures.write(
            String(
                decoding: RecordingCodec.document(
                    blocks: [old, old].map {
                        RecordingCodec.block(
                            RecordingCodec.encode(
                                RecordedExchange(request: $0, response: RecordingFixtures.jsonResponse("x"))))
                    }), as: UTF8.self), to: path)
        #expect(try RecordingFile.read(path: path)?.count == 2)

        let missing = RecordReplay(mode: .recordMissing, path: path)
        #expect(try missing.session.decide(old, isLLMCall: true, configuration: missing).served != nil)
        #expect(try missing.session.decide(new, isLLMCall: true, configuration: missing).forwarded?.record == true)
        try missing.session.record(new, RecordingFixtures.jsonResponse("y"), configuration: missing)
        let appended = try #require(try RecordingFile.read(path: path)).map(\.exchange.requestJSON)
        #expect(appended == [old, old, new].map { RecordingFixtures.sortedJSON($0.body) })

        let otherPath = try RecordingFixtures.temporaryPath()
        try FileSystem.writeAtomically(try FileSystem.readFile(path), to: otherPath)
        try RecordingFixtures.record([(new, RecordingFixtures.jsonResponse("z"))], to: otherPath)
        let fresh = try #require(try RecordingFile.read(path: otherPath)).map(\.exchange.requestJSON)
        #expect(fresh == [RecordingFixtures.sortedJSON(new.body)])
    }

    @Test("two RecordReplay values recording into one path keep each other's exchanges")
    func sharedWriter() throws {
        let path = try RecordingFixtures.temporaryPath()
        let first = RecordReplay(mode: .record, path: path)
        let second = RecordReplay(mode: .record, path: path)
        try first.session.record(
            RecordingFixtures.chatRequest("a"), RecordingFixtures.jsonResponse("1"), configuration: first)
        try second.session.record(
            RecordingFixtures.chatRequest("b"), RecordingFixtures.jsonResponse("2"), configuration: second)
        try first.session.record(
            RecordingFixtures.chatRequest("c"), RecordingFixtures.jsonResponse("3"), configuration: first)
        #expect(try RecordingFile.read(path: path)?.count == 3)
    }

    @Test("exchanges recorded concurrently by two RecordReplay values on one path are all kept")
    func concurrentRecording() async throws {
        let path = try RecordingFixtures.temporaryPath()
        let recorders = [RecordReplay(mode: .record, path: path), RecordReplay(mode: .record, path: path)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask {
                    let recorder = recorders[i % 2]
                    try recorder.session.record(
                        RecordingFixtures.chatRequest("question \(i)"), RecordingFixtures.jsonResponse("\(i)"),
                        configuration: recorder)
                }
            }
            try await group.waitForAll()
        }
        let questions = try #require(try RecordingFile.read(path: path)).compactMap {
            $0.exchange.requestJSON?.member("messages").flatMap { messages -> String? in
                guard case .array(let items) = messages, case .string(let q)? = items.last?.member("content") else {
                    return nil
                }
                return q
            }
        }
        #expect(Set(questions) == Set((0..<20).map { "question \($0)" }))
        #expect(questions.count == 20)
    }

    @Test("a recording that cannot be written: the error names the path and the reason")
    func unwritable() throws {
        let path = FileSystem.split(try RecordingFixtures.temporaryPath()).directory + "/no/such/dir/recording.json"
        let recorder = RecordReplay(mode: .record, path: path)
        let error = try #require(throws: RecordingError.self) {
            try recorder.session.record(
                RecordingFixtures.chatRequest("hi"), RecordingFixtures.jsonResponse("x"), configuration: recorder)
        }
        guard case .unwritable(let reason) = error.problem else {
            Issue.record("expected unwritable, got \(error.problem)")
            return
        }
        #expect(reason.contains("No such file or directory"))
        #expect(error.description.contains("Cannot write the LLM recording \(path)"))
    }

    @Test("a body nested as deep as a body may be is recorded and read back as JSON")
    func deepBody() throws {
        let path = try RecordingFixtures.temporaryPath()
        let depth = RecordingCodec.bodyDepth - 1
        let body = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        let request = LLMHTTPRequest(method: "POST", url: "https://example.com/deep", body: Array(body.utf8))
        try RecordingFixtures.record([(request, RecordingFixtures.jsonResponse("x"))], to: path)
        let read = try #require(try RecordingFile.read(path: path))
        #expect(read[0].exchange.requestJSON != nil)
        let replay = RecordReplay(mode: .replay, path: path)
        #expect(try replay.session.decide(request, isLLMCall: false, configuration: replay).served != nil)
    }

    @Test("a missing recording in replay names the path and says to record first")
    func missingFile() throws {
        let path = try RecordingFixtures.temporaryPath("never-recorded.json")
        let replay = RecordReplay(mode: .replay, path: path)
        let error = try #require(throws: RecordingError.self) {
            try replay.session.decide(RecordingFixtures.chatRequest("hi"), isLLMCall: true, configuration: replay)
        }
        #expect(error.problem == .missing)
        #expect(error.description.contains(path))
        #expect(error.description.contains("record it first"))
        #expect(error.description.contains(".record"))
        // record-missing treats a missing file as an empty recording.
        let missing = RecordReplay(mode: .recordMissing, path: path)
        #expect(
            try missing.session.decide(RecordingFixtures.chatRequest("hi"), isLLMCall: true, configuration: missing)
                .forwarded?.record == true)
    }

    @Test("a file that is not JSON: the error names the line and column")
    func syntaxError() throws {
        let path = try RecordingFixtures.temporaryPath()
        try RecordingFixtures.write("{\n  \"format\": \"tracespool-llm-recording\",\n  \"version\": 1,,\n}\n", to: path)
        let error = try #require(throws: RecordingError.self) { try RecordingFile.read(path: path) }
        #expect(error.line == 3)
        #expect(error.column == 16)
        guard case .malformed(let what) = error.problem else {
            Issue.record("expected malformed, got \(error.problem)")
            return
        }
        #expect(what.contains("not valid JSON"))
        #expect(error.description.contains("\(path) is malformed at line 3, column 16"))
    }

    @Test(
        "JSON of the wrong shape: the error names the field",
        arguments: [
            (#"{"exchanges": []}"#, "format"),
            (#"{"format": "tracespool-llm-recording", "version": 1}"#, "exchanges"),
            (#"{"format": "tracespool-llm-recording", "version": "1", "exchanges": []}"#, "version"),
            (
                #"{"format": "tracespool-llm-recording", "version": 1, "exchanges": [{"request": {"method": "GET", "url": "/"}, "response": {"status": "200", "chunks": []}}]}"#,
                "exchanges[0].response.status"
            ),
            (
                #"{"format": "tracespool-llm-recording", "version": 1, "exchanges": [{"request": {"method": "GET", "url": "/"}, "response": {"status": 200}}]}"#,
                "exchanges[0].response"
            ),
            (
                #"{"format": "tracespool-llm-recording", "version": 1, "exchanges": [{"request": {"method": "GET", "url": "/"}, "response": {"status": 200, "chunks": ["a", {"base64": "!!"}]}}]}"#,
                "exchanges[0].response.chunks[1].base64"
            ),
            (
                #"{"format": "tracespool-llm-recording", "version": 1, "exchanges": [{"request": {"url": "/"}, "response": {"status": 200, "chunks": []}}]}"#,
                "exchanges[0].request.method"
            ),
        ])
    func shapeError(text: String, field: String) throws {
        let path = try RecordingFixtures.temporaryPath()
        try RecordingFixtures.write(text, to: path)
        let error = try #require(throws: RecordingError.self) { try RecordingFile.read(path: path) }
        #expect(error.field == field)
        #expect(error.description.contains("malformed at \(field): "))
    }

    @Test("an unknown format version is refused with a clear error")
    func unknownVersion() throws {
        let path = try RecordingFixtures.temporaryPath()
        try RecordingFixtures.write(#"{"format": "tracespool-llm-recording", "version": 2, "exchanges": []}"#, to: path)
        let replay = RecordReplay(mode: .replay, path: path)
        let error = try #require(throws: RecordingError.self) {
            try replay.session.decide(RecordingFixtures.chatRequest("hi"), isLLMCall: true, configuration: replay)
        }
        #expect(error.problem == .unsupportedVersion("2"))
        #expect(error.description.contains("format version 2"))
        #expect(error.description.contains("reads version 1"))
    }

    @Test("base64 decoding inverts encoding and refuses what is not padded standard base64")
    func base64() {
        for count in 0..<8 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 97 + 200) }
            var text: [UInt8] = []
            Base64.append(bytes, to: &text)
            #expect(Base64.decode(String(decoding: text, as: UTF8.self)) == bytes)
        }
        for bad in ["A", "AB", "ABC", "A===", "AB=C", "AB==AB==", "AB!=", "AB=="] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
        #expect(Base64.decode("AA==") == [0])
    }
}
