import Testing

@testable import TraceSpool

extension TracerTests {
    @Suite("Prompt compile: placeholders, missing variables named, chat prompts")
    struct PromptCompileTests {
        static func prompt(_ template: PromptContent) -> Prompt {
            Prompt(name: "p", version: 3, labels: [], template: template, config: nil)
        }

        @Test("placeholders with or without spaces are filled; other braces stay; values are not filled in again")
        func placeholders() throws {
            let prompt = Self.prompt(
                .text(#"Hi {{name}}, {{ name }}! {{\#ttone\#t}} {{ a b }} {{"k": 1}} {{{name}}} {{9x}} {{x"#))
            #expect(prompt.variables == ["name", "tone"])
            let compiled = try prompt.compile(["name": "Ada {{tone}}", "tone": "warm", "unused": "u"])
            #expect(
                compiled.text == #"Hi Ada {{tone}}, Ada {{tone}}! warm {{ a b }} {{"k": 1}} {Ada {{tone}}} {{9x}} {{x"#)
            #expect(compiled.variables == ["name": "Ada {{tone}}", "tone": "warm"])
            #expect(compiled.messages == nil)
            #expect(compiled.prompt == prompt)
            // A template without placeholders compiles with no values; non-ASCII text is kept whole.
            #expect(try Self.prompt(.text("é {{ ü }} 😀")).compile().text == "é {{ ü }} 😀")
        }

        @Test("every missing variable is named, in template order")
        func missingVariablesAreNamed() throws {
            let prompt = Self.prompt(.text("{{b}} {{a}} {{c}} {{b}}"))
            let error = try #require(throws: PromptError.self) { try prompt.compile(["a": "1"]) }
            #expect(error == .missingVariables(name: "p", version: 3, missing: ["b", "c"]))
            #expect(error.description == #"prompt "p" version 3 needs variables b, c; pass them to compile"#)
            #expect(throws: PromptError.missingVariables(name: "p", version: 3, missing: ["c"])) {
                try prompt.compile(["a": "1", "b": "2"])
            }
        }

        @Test("a chat prompt fills each message's content and keeps the roles")
        func chatPrompt() throws {
            let prompt = Self.prompt(
                .chat([
                    ChatMessage(role: "system", content: "You help with {{product}}."),
                    ChatMessage(role: "user", content: "{{question}} ({{product}})"),
                ]))
            #expect(prompt.variables == ["product", "question"])
            #expect(
                prompt.templateText == #"[{"content":"You help with {{product}}.","role":"system"},"#
                    + #"{"content":"{{question}} ({{product}})","role":"user"}]"#)
            let compiled = try prompt.compile(["product": "Spool", "question": "Why?"])
            #expect(
                compiled.messages == [
                    ChatMessage(role: "system", content: "You help with Spool."),
                    ChatMessage(role: "user", content: "Why? (Spool)"),
                ])
            #expect(compiled.text == nil)
            #expect(throws: PromptError.missingVariables(name: "p", version: 3, missing: ["question"])) {
                try prompt.compile(["product": "Spool"])
            }
        }
    }
}
