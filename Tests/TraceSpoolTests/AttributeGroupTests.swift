import OTLPWire
import SpoolFormat
import Testing
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// Attribute groups (`AttributeGroup`): the agent API's bulk sets mark their entries `distinctKey` the first time,
    /// and the encoder compares keys only where an unmarked entry is involved. These tests hold the groups to their
    /// contract (distinct keys, no key in two groups) and check that shadowing stays last-write-wins around them.
    @Suite("Attribute groups")
    struct AttributeGroupTests {
        static let messages = [
            ChatMessage(role: "system", content: "Be brief."),
            ChatMessage(
                role: "assistant", content: "",
                toolCalls: [
                    ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Oslo"}"#),
                    ToolCall(id: "call_2", name: "get_time", arguments: "{}"),
                ]),
            ChatMessage(role: "tool", content: "12 °C", toolCallID: "call_1"),
        ]

        /// Each group with a setter that writes every key the group can hold (for two items where there are lists).
        static var groups: [(AttributeGroup, String, (SpoolSpan) -> Void)] {
            [
                (
                    [.operation, .model], "model",
                    {
                        $0.recordGeneration(
                            operation: "chat", model: "gpt-4o", system: "openai", parameters: nil, tools: [],
                            messages: [])
                    }
                ),
                (
                    .parameters, "parameters",
                    {
                        $0.setModelParameters(
                            #"{"temperature":0.1,"max_tokens":5,"top_p":0.5,"top_k":3,"frequency_penalty":0.1,"#
                                + #""presence_penalty":0.2,"seed":7,"stop":["x"]}"#)
                    }
                ),
                (
                    .tools, "tools",
                    { $0.setTools([ToolDefinition(name: "get_weather"), ToolDefinition(name: "get_time")]) }
                ),
                (.inputMessages, "input messages", { $0.setInputMessages(messages) }),
                (.outputMessages, "output messages", { $0.setOutputMessages(messages) }),
                (.response, "response", { $0.setResponse(id: "r1", model: "gpt-4o-2024", finishReasons: ["stop"]) }),
                (
                    .usage, "usage",
                    {
                        $0.setUsage(
                            inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 2, cacheCreationInputTokens: 1,
                            reasoningTokens: 3, costUSD: 0.01)
                    }
                ),
            ]
        }

        /// The entries `set` leaves on a fresh span, and the groups it records as set.
        static func entries(
            _ h: EncoderHarness, _ set: (SpoolSpan) -> Void
        ) -> (entries: [SpoolAttribute], groups: AttributeGroup) {
            let storage = h.span("chat", type: .generation)
            set(SpoolSpan(storage: storage))
            return storage.state.withLock { ($0.attributes, $0.groups) }
        }

        @Test("each group's keys are distinct and marked, and no key belongs to two groups")
        func keysOfEachGroup() throws {
            let h = EncoderHarness()
            var owner: [String: String] = [:]
            for (group, name, set) in Self.groups {
                let (entries, groups) = Self.entries(h, set)
                #expect(groups == group, "\(name) records its groups")
                #expect(entries.count > 1, "\(name) writes its keys")
                #expect(entries.allSatisfy { $0.marks.contains(.distinctKey) }, "\(name): first set marked")
                for entry in entries {
                    #expect(!SpanType.generation.reservesListKey(entry.key), "\(name): \(entry.key) is reserved")
                    if let other = owner.updateValue(name, forKey: entry.key) {
                        Issue.record("\(entry.key) is written by \(other) and \(name)")
                    }
                }
            }
            // Every key of the groups' documentation is among those written.
            #expect(owner[AttributeNames.operationName] == "model")
            #expect(owner[AttributeNames.requestSeed] == "parameters")
            #expect(owner["llm.input_messages.1.message.tool_calls.1.tool_call.function.arguments"] == "input messages")
            #expect(owner[AttributeNames.outputValue] == "output messages")
            #expect(owner[AttributeNames.cost] == "usage")
        }

        @Test("withGeneration's bulk set records every group it holds; a group set again later is not marked")
        func generationGroups() {
            let h = EncoderHarness()
            let (entries, groups) = Self.entries(h) { span in
                span.recordGeneration(
                    operation: "chat", model: "gpt-4o", system: nil, parameters: ["temperature": 0.5],
                    tools: [ToolDefinition(name: "get_time")], messages: Self.messages)
                span.setTools([ToolDefinition(name: "get_weather")])
            }
            #expect(groups == [.operation, .model, .parameters, .tools, .inputMessages])
            #expect(entries.dropLast().allSatisfy { $0.marks.contains(.distinctKey) })
            #expect(entries.last.map { $0.key == "llm.tools.0.tool.json_schema" && $0.marks.isEmpty } == true)
        }

        @Test("a group set a second time is not marked, nor is an attribute set alone")
        func secondSetIsLoose() {
            let h = EncoderHarness()
            let (entries, _) = Self.entries(h) { span in
                span.setUsage(inputTokens: 1)
                span.setAttribute("app.note", .string("n"))
                span.setUsage(inputTokens: 2)
            }
            #expect(entries.map { $0.marks.contains(.distinctKey) } == [true, true, true, false, false, false, false])
        }

        /// The span's attributes as the encoder writes them, in order.
        static func written(_ h: EncoderHarness, _ storage: SpanStorage) throws -> [(String, OTLPValue)] {
            let record = h.record(storage)
            let span = try OTLPSpan(decoding: #require(EncoderHarness.body(ofRecord: record)))
            return span.attributes.map { ($0.key, $0.value) }
        }

        @Test(
            "the last write of a key wins whether grouped or not, before or after, in short and long lists",
            arguments: [0, 3, 12])
        func lastWriteWins(extraLoose: Int) throws {
            let h = EncoderHarness()
            let storage = h.span("chat", type: .generation)
            let span = SpoolSpan(storage: storage)
            // A loose entry before the group's (the group wins), one after (it wins), a group set twice (the second
            // wins), among extra loose entries that share no key: pairwise and hashed searches.
            span.setAttribute(AttributeNames.llmModelName, .string("overridden"))
            for i in 0..<extraLoose { span.setAttribute("app.extra.\(i)", .int(Int64(i))) }
            span.recordGeneration(
                operation: "chat", model: "gpt-4o", system: "openai", parameters: ["temperature": 0.5],
                tools: [ToolDefinition(name: "get_time")], messages: Self.messages)
            span.setUsage(inputTokens: 1, outputTokens: 1)
            span.setAttribute(AttributeNames.providerName, .string("mine"))
            span.setAttribute("llm.input_messages.2.message.content", .string("edited"))
            span.setUsage(inputTokens: 2, outputTokens: 2)
            let attributes = try Self.written(h, storage)
            let keys = attributes.map(\.0)
            #expect(Set(keys).count == keys.count, "each key written once: \(keys)")
            let values = Dictionary(attributes, uniquingKeysWith: { a, _ in a })
            #expect(values[AttributeNames.llmModelName] == .string("gpt-4o"))
            #expect(values[AttributeNames.providerName] == .string("mine"))
            #expect(values["llm.input_messages.2.message.content"] == .string("edited"))
            #expect(values[AttributeNames.inputTokens] == .int(2))
            #expect(values[AttributeNames.totalTokens] == .int(4))
            #expect(values[AttributeNames.llmSystem] == .string("openai"))
            for i in 0..<extraLoose { #expect(values["app.extra.\(i)"] == .int(Int64(i))) }
        }

        @Test("at the count limit, a value replacing a marked entry's keeps the key's mark and drops the value's")
        func replacementAtTheLimit() throws {
            let h = EncoderHarness { $0.attributeCountLimit = 6 }
            let storage = h.span("chat", type: .generation)
            let span = SpoolSpan(storage: storage)
            span.setInputMessages([
                ChatMessage(role: "user", content: "hello"), ChatMessage(role: "user", content: "x"),
            ])
            // The list is full: this replaces the marked content entry in place.
            let key = "sk-proj-Zq81xWv0LmTr5uYpB2nKdE7a"
            span.setAttribute("llm.input_messages.1.message.content", .string("key \(key)"))
            let entries = storage.state.withLock { $0.attributes }
            let replaced = try #require(entries.first { $0.key == "llm.input_messages.1.message.content" })
            #expect(replaced.marks == [.distinctKey])
            let values = Dictionary(try Self.written(h, storage), uniquingKeysWith: { a, _ in a })
            #expect(values["llm.input_messages.1.message.content"] == .string("key [REDACTED:openai-key]"))
        }
    }
}
