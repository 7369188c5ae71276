import Testing
import TraceSpoolTesting

@testable import TraceSpool

extension TracerTests {
    @Suite("Prompt linked to a generation: OpenInference and Langfuse attributes read back from the spool")
    struct SpoolSpanPromptTests {
        static let promptKeys = [
            "llm.prompt_template.template", "llm.prompt_template.variables", "llm.prompt_template.version",
            "langfuse.observation.prompt.name", "langfuse.observation.prompt.version",
        ]

        /// The documentation's example (Docs/Tracer.md, Prompts; `PromptLibrary`), verbatim.
        static func documentedExample(_ tracer: SpoolTracer, promptsDirectory: String) throws {
            let prompts = try PromptLibrary(directory: promptsDirectory)  // the Prompts folder the app ships; read once
            let triage = try prompts.prompt("support/triage")  // the version labelled `production`
            let compiled = try triage.compile(["product": "Spool", "customer": "ACME", "ticket": "It crashes."])
            tracer.withGeneration("triage", model: "gpt-4o", prompt: compiled) { generation in
                // send compiled.messages to the model, then:
                generation.setOutputMessages([ChatMessage(role: "assistant", content: "bug")])
            }
        }

        @Test("withGeneration(prompt:) records template, variables, versions and name; a chat prompt is the input")
        func chatPromptOnAGeneration() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                try Self.documentedExample(tracer, promptsDirectory: PromptFixture.examples)
                tracer.withGeneration("plain", model: "gpt-4o") { _ in }
                tracer.shutdown()
                let contents = try SpoolContents(reading: spool.path)
                let a = try #require(contents.span(named: "triage")).attributes
                let triage = try PromptLibrary(directory: PromptFixture.examples).prompt("support/triage")
                #expect(a.get("llm.prompt_template.template") == .string(triage.templateText))
                #expect(
                    a.get("llm.prompt_template.variables")
                        == #"{"customer":"ACME","product":"Spool","ticket":"It crashes."}"#)
                #expect(a.get("llm.prompt_template.version") == "2")
                #expect(a.get("langfuse.observation.prompt.name") == "support/triage")
                #expect(a.get("langfuse.observation.prompt.version") == 2)
                // No messages were given: the compiled chat is the input.
                #expect(a.get("llm.input_messages.0.message.role") == "system")
                #expect(
                    a.get("llm.input_messages.0.message.content")
                        == "You sort support tickets for Spool into bug, question or request. Answer with the category only."
                )
                #expect(a.get("llm.input_messages.1.message.content") == "Ticket from ACME:\nIt crashes.")
                // A generation without a prompt has none of the keys.
                let plain = try #require(contents.span(named: "plain"))
                #expect(plain.attributeKeys.filter { Self.promptKeys.contains($0) } == [])
            }
        }

        @Test("given messages win over a chat prompt's; a text prompt adds no input messages")
        func givenMessagesAndTextPrompts() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let library = try PromptLibrary(directory: PromptFixture.examples)
                let chat = try library.prompt("support/triage", version: 1).compile([
                    "product": "Spool", "ticket": "t",
                ])
                let text = try library.prompt("summarize").compile([
                    "language": "French", "max_words": "20", "text": "Long text.",
                ])
                let given = ChatMessage(role: "user", content: "given")
                await tracer.withGeneration("given", model: "m", messages: [given], prompt: chat) { _ in
                    await Task.yield()
                }
                await tracer.withGeneration("text", model: "m", prompt: text) { _ in await Task.yield() }
                tracer.shutdown()
                let contents = try SpoolContents(reading: spool.path)
                let g = try #require(contents.span(named: "given")).attributes
                #expect(g.get("llm.input_messages.0.message.content") == "given")
                #expect(g.get("llm.input_messages.1.message.content") == nil)
                #expect(g.get("langfuse.observation.prompt.version") == 1)
                let t = try #require(contents.span(named: "text"))
                #expect(
                    t.attributes.get("llm.prompt_template.template")
                        == "Summarize the following text in {{ language }}, in at most {{max_words}} words:\n\n{{text}}"
                )
                #expect(
                    t.attributes.get("llm.prompt_template.variables")
                        == #"{"language":"French","max_words":"20","text":"Long text."}"#)
                #expect(t.attributes.get("langfuse.observation.prompt.name") == "summarize")
                #expect(t.attributeKeys.filter { $0.hasPrefix("llm.input_messages") || $0 == "input.value" } == [])
            }
        }

        @Test("capture off: the variables and the prompt's messages are not written; template and versions are")
        func captureOff() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.captureInputOutput = false }
                try Self.documentedExample(tracer, promptsDirectory: PromptFixture.examples)
                let span = tracer.startSpan(.generation, "direct")
                span.setCaptureInputOutput(true)
                span.setPrompt(
                    try PromptLibrary(directory: PromptFixture.examples).prompt("summarize").compile([
                        "language": "en", "max_words": "5", "text": "x",
                    ]))
                span.end()
                tracer.shutdown()
                let contents = try SpoolContents(reading: spool.path)
                let off = try #require(contents.span(named: "triage"))
                #expect(off.attributes.get("llm.prompt_template.variables") == nil)
                #expect(off.attributeKeys.filter { $0.hasPrefix("llm.input_messages") } == [])
                #expect(off.attributes.get("llm.prompt_template.template") != nil)
                #expect(off.attributes.get("llm.prompt_template.version") == "2")
                #expect(off.attributes.get("langfuse.observation.prompt.version") == 2)
                let on = try #require(contents.span(named: "direct"))
                #expect(
                    on.attributes.get("llm.prompt_template.variables")
                        == #"{"language":"en","max_words":"5","text":"x"}"#)
                #expect(on.attributes.get("llm.prompt_template.version") == "1")
            }
        }

        @Test("template and variables are cut to maxInputOutputBytes; name and versions are not")
        func truncation() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.maxInputOutputBytes = 16 }
                let compiled = try PromptLibrary(directory: PromptFixture.examples).prompt("summarize").compile([
                    "language": "English", "max_words": "50", "text": String(repeating: "long ", count: 20),
                ])
                tracer.withGeneration("cut", model: "m", prompt: compiled) { _ in }
                tracer.shutdown()
                let a = try #require(try SpoolContents(reading: spool.path).span(named: "cut")).attributes
                #expect(a.get("llm.prompt_template.template") == "Summarize the fo…[truncated]")
                #expect(a.get("llm.prompt_template.variables") == #"{"language":"Eng…[truncated]"#)
                #expect(a.get("langfuse.observation.prompt.name") == "summarize")
                #expect(a.get("llm.prompt_template.version") == "1")
            }
        }
    }
}
