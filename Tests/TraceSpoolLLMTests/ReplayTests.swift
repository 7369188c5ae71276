import SpoolBase
import Testing

@testable import TraceSpoolLLM

@Suite("LLM replay")
struct ReplayTests {
    typealias F = RecordingFixtures

    /// A recording of `exchanges` and a `RecordReplay` replaying it.
    func replaying(
        _ exchanges: [(LLMHTTPRequest, RecordedResponse)], level: RecordReplay.Level = .strict,
        ignoredFields: [String] = [], logs: LogCapture? = nil
    ) throws -> RecordReplay {
        let path = try F.temporaryPath()
        try F.record(exchanges, to: path)
        return RecordReplay(
            mode: .replay, path: path, level: level, ignoredFields: ignoredFields, logger: logs?.logger())
    }

    func decide(_ request: LLMHTTPRequest, _ replay: RecordReplay, isLLMCall: Bool = true) throws
        -> RecordReplaySession.Decision
    {
        try replay.session.decide(request, isLLMCall: isLLMCall, configuration: replay)
    }

    @Test("identical requests take identical recorded exchanges first in, first out, each once")
    func fifo() throws {
        let request = F.chatRequest("What is the weather in Paris?")
        let answers = ["one", "two", "three"]
        let replay = try replaying(answers.map { (request, F.jsonResponse($0)) })
        for answer in answers {
            let served = try #require(try decide(request, replay).served)
            #expect(
                try JSONReader.parse(served.chunks.flatMap { $0 })
                    == JSONReader.parse(F.jsonResponse(answer).chunks.flatMap { $0 }))
        }
        let error = try #require(throws: ReplayMismatchError.self) { try decide(request, replay) }
        #expect(error.closestWasServed)
        #expect(error.differences.isEmpty)
        #expect(error.description.contains("already served"))
        #expect(try replay.unusedExchanges().isEmpty)
    }

    @Test("a streamed response is served chunk by chunk as recorded")
    func servesChunks() throws {
        let request = F.chatRequest("Stream it", extra: #","stream":true"#)
        let replay = try replaying([(request, F.streamResponse())])
        #expect(try decide(request, replay).served == F.streamResponse())
    }

    @Test("key order, white space, number spelling, host and credentials do not matter")
    func canonicalMatch() throws {
        let replay = try replaying([(F.chatRequest("What is the weather in Paris?"), F.jsonResponse("Sunny."))])
        let body = """
            {
              "temperature" : 2.0e-1,
              "messages" : [ { "content" : "What is the weather in Paris?", "role" : "system" } ],
              "model" : "gpt-4o-mini"
            }
            """
        // Member order changed at every level (the messages' members too), but not the array order.
        var reordered = F.chatRequest(
            "What is the weather in Paris?", base: "http://127.0.0.1:9999", query: "?key=OTHER")
        reordered.body = Array(
            body.replacing(
                #"[ { "content" : "What is the weather in Paris?", "role" : "system" } ]"#,
                with:
                    #"[ { "content" : "You answer weather questions.", "role" : "system" }, { "role": "user", "content": "What is the weather in Paris?" } ]"#
            ).utf8)
        reordered.headers = [LLMHTTPHeader("x-api-key", "another key")]
        #expect(try decide(reordered, replay).served != nil)
    }

    @Test("a changed prompt names messages[1].content and the closest recorded exchange")
    func changedPrompt() throws {
        let replay = try replaying([
            (F.chatRequest("Tell me a joke"), F.jsonResponse("No.")),
            (F.chatRequest("What is the weather in Paris?"), F.jsonResponse("Sunny.")),
            (F.textRequest("not an LLM call"), F.jsonResponse("ok")),
        ])
        let error = try #require(throws: ReplayMismatchError.self) {
            try decide(F.chatRequest("What is the weather in Rome?"), replay)
        }
        #expect(error.method == "POST")
        #expect(error.path == "/v1/chat/completions")
        #expect(error.closestExchangeIndex == 1)
        #expect(!error.closestWasServed)
        #expect(
            error.differences == [
                ReplayMismatchError.Difference(
                    field: "messages[1].content", recorded: #""What is the weather in Paris?""#,
                    requested: #""What is the weather in Rome?""#)
            ])
        #expect(error.bodySummary.hasPrefix(#"{"messages":[{"content":"You answer"#))
        let text = error.description
        #expect(text.contains("POST /v1/chat/completions"))
        #expect(text.contains("exchanges[1]"))
        #expect(
            text.contains(
                #"messages[1].content: recorded "What is the weather in Paris?" ≠ requested "What is the weather in Rome?""#
            ))
        #expect(text.contains(replay.path))
        #expect(text.contains("ignoredFields"))
        #expect(text.contains("record again"))
    }

    @Test("added, removed and changed fields, array lengths and the query are named as JSON paths")
    func differencePaths() throws {
        let replay = try replaying([(F.chatRequest("Hi", query: "?api-version=1"), F.jsonResponse("Hello."))])
        var request = F.chatRequest("Hi", extra: #","user":"u-1","n":2"#, query: "?api-version=2&key=SECRET")
        request.body = Array(
            String(decoding: request.body, as: UTF8.self).replacing(#","temperature":0.2"#, with: "")
                .replacing(#""content":"Hi"}]"#, with: #""content":"Hi"},{"role":"user","content":"More"}]"#)
                .utf8)
        let error = try #require(throws: ReplayMismatchError.self) { try decide(request, replay) }
        #expect(error.differences.map(\.field) == ["(query)", "messages[2]", "n", "temperature", "user"])
        #expect(error.differences[0].recorded == #""api-version=1""#)
        #expect(error.differences[0].requested == #""api-version=2""#)
        #expect(error.differences[1].recorded == nil)
        #expect(error.differences[1].requested == #"{"content":"More","role":"user"}"#)
        #expect(error.differences[3].recorded == "0.2")
        #expect(error.differences[3].requested == nil)
        #expect(error.differenceCount == 5)
        #expect(error.description.contains("temperature: recorded 0.2 ≠ requested (absent)"))
        #expect(!error.description.contains("SECRET"))
    }

    @Test("ignored fields, dotted and with [*], are left out of matching")
    func ignoredFields() throws {
        let recorded = F.chatRequest("Hi", extra: #","user":"run-1","metadata":{"run_id":"r1","team":"a"}"#)
        var changed = F.chatRequest("Hi", extra: #","user":"run-2","metadata":{"run_id":"r2","team":"a"}"#)
        changed.body = Array(
            String(decoding: changed.body, as: UTF8.self).replacing(
                #""role":"user","#, with: #""role":"user","name":"alice","#
            ).utf8)
        let strict = try replaying([(recorded, F.jsonResponse("Hello."))])
        let error = try #require(throws: ReplayMismatchError.self) { try decide(changed, strict) }
        #expect(error.differences.map(\.field) == ["messages[1].name", "metadata.run_id", "user"])

        let lenient = try replaying(
            [(recorded, F.jsonResponse("Hello."))], ignoredFields: ["user", "metadata.run_id", "messages[*].name"])
        #expect(try decide(changed, lenient).served != nil)

        // An ignored field does not hide a difference elsewhere.
        let other = try replaying(
            [(recorded, F.jsonResponse("Hello."))], ignoredFields: ["user", "metadata.run_id", "messages[*].name"])
        var teamChanged = changed
        teamChanged.body = Array(
            String(decoding: changed.body, as: UTF8.self).replacing(#""team":"a""#, with: #""team":"b""#)
                .utf8)
        let teamError = try #require(throws: ReplayMismatchError.self) { try decide(teamChanged, other) }
        #expect(teamError.differences.map(\.field) == ["metadata.team"])
    }

    @Test("bodies that are not JSON match byte for byte")
    func bytesMatch() throws {
        let replay = try replaying([(F.textRequest("exactly this"), F.jsonResponse("ok"))])
        #expect(try decide(F.textRequest("exactly this"), replay).served != nil)
        let replayAgain = try replaying([(F.textRequest("exactly this"), F.jsonResponse("ok"))])
        let error = try #require(throws: ReplayMismatchError.self) {
            try decide(F.textRequest("exactly  this"), replayAgain)
        }
        #expect(error.differences.map(\.field) == ["(body)"])
        #expect(error.differences[0].recorded == "(12 bytes, not JSON)")
    }

    @Test("strict: a request with no counterpart at all is a determinism leak naming the redacted URL")
    func strictLeak() throws {
        let replay = try replaying([(F.chatRequest("Hi"), F.jsonResponse("Hello."))])
        let request = LLMHTTPRequest(
            method: "get", url: "https://weather.example.com/v1/forecast?city=Rome&api_key=SECRET")
        let error = try #require(throws: DeterminismLeakError.self) { try decide(request, replay, isLLMCall: false) }
        #expect(error.method == "GET")
        #expect(error.url == "https://weather.example.com/v1/forecast?city=Rome&api_key=REDACTED")
        #expect(!error.isLLMCall)
        #expect(error.description.contains("GET https://weather.example.com/v1/forecast?city=Rome&api_key=REDACTED"))
        #expect(error.description.contains(".relaxed"))
        #expect(!error.description.contains("SECRET"))
    }

    @Test("relaxed: a request with no counterpart is sent unrecorded with one warning per method and path")
    func relaxedLeak() throws {
        let logs = LogCapture()
        let replay = try replaying([(F.chatRequest("Hi"), F.jsonResponse("Hello."))], level: .relaxed, logs: logs)
        let weather = LLMHTTPRequest(method: "GET", url: "https://weather.example.com/v1/forecast?city=Rome")
        for _ in 0..<2 {
            let decision = try decide(weather, replay, isLLMCall: false)
            #expect(decision.forwarded?.record == false)
        }
        #expect(logs.logged == ["warning: Request not in the LLM recording sent to the network (relaxed replay)"])
        // A request that differs from recorded ones with its method and path still throws.
        #expect(throws: ReplayMismatchError.self) { try decide(F.chatRequest("Bye"), replay) }
        #expect(try decide(F.chatRequest("Hi"), replay).served != nil)
    }

    @Test("record-missing serves what is recorded and forwards the rest for recording")
    func recordMissing() throws {
        let path = try F.temporaryPath()
        try F.record([(F.chatRequest("Hi"), F.jsonResponse("Hello."))], to: path)
        let rr = RecordReplay(mode: .recordMissing, path: path)
        #expect(try rr.session.decide(F.chatRequest("Hi"), isLLMCall: true, configuration: rr).served != nil)
        #expect(
            try rr.session.decide(F.chatRequest("Hi"), isLLMCall: true, configuration: rr).forwarded?.record == true)
        #expect(
            try rr.session.decide(F.chatRequest("Bye"), isLLMCall: true, configuration: rr).forwarded?.record == true)
    }

    @Test("pass-through and record read nothing and forward")
    func passThroughAndRecord() throws {
        let path = try F.temporaryPath("absent.json")
        let pass = RecordReplay(mode: .passThrough, path: path)
        #expect(
            try pass.session.decide(F.chatRequest("Hi"), isLLMCall: true, configuration: pass).forwarded?.record
                == false)
        let record = RecordReplay(mode: .record, path: path)
        #expect(
            try record.session.decide(F.chatRequest("Hi"), isLLMCall: true, configuration: record).forwarded?.record
                == true)
        #expect(!FileSystem.exists(path))
        #expect(try pass.unusedExchanges().isEmpty)
        // Neither pass-through nor replay writes, even when asked to record.
        try pass.session.record(F.chatRequest("Hi"), F.jsonResponse("Hello."), configuration: pass)
        let replay = RecordReplay(mode: .replay, path: path)
        try replay.session.record(F.chatRequest("Hi"), F.jsonResponse("Hello."), configuration: replay)
        #expect(!FileSystem.exists(path))
    }

    @Test("unused exchanges are listed; copies share the cursor, separate values replay from the start")
    func unusedAndSharing() throws {
        let replay = try replaying([
            (F.chatRequest("One"), F.jsonResponse("1")), (F.chatRequest("Two"), F.jsonResponse("2")),
        ])
        #expect(
            try replay.unusedExchanges() == [
                "exchanges[0]: POST /v1/chat/completions", "exchanges[1]: POST /v1/chat/completions",
            ])
        let copy = replay
        #expect(try decide(F.chatRequest("One"), copy).served != nil)
        #expect(try replay.unusedExchanges() == ["exchanges[1]: POST /v1/chat/completions"])
        #expect(throws: ReplayMismatchError.self) { try decide(F.chatRequest("One"), replay) }
        let separate = RecordReplay(mode: .replay, path: replay.path)
        #expect(try decide(F.chatRequest("One"), separate).served != nil)
    }
}
