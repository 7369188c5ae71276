import Testing

@testable import TraceSpool

extension TracerTests {
    @Suite("Prompt library: versions, labels, latest, folders, malformed files, unknown names")
    struct PromptLibraryTests {
        @Test("the sample directory loads: versions, labels, latest, a prompt in a folder, a chat prompt's config")
        func loadsTheSampleDirectory() throws {
            let library = try PromptLibrary(directory: PromptFixture.examples)
            #expect(library.listing.map(\.name) == ["summarize", "support/triage"])
            let summarize = library.listing[0]
            #expect(summarize.versions.map(\.version) == [1, 2])
            #expect(summarize.labels == ["latest": 2, "production": 1, "staging": 2])
            #expect(summarize.versions.map(\.labels) == [["production"], ["latest", "staging"]])
            // The default label is `production`; `latest` is the highest version.
            #expect(try library.prompt("summarize").version == 1)
            #expect(try library.prompt("summarize", label: "latest").version == 2)
            #expect(try library.prompt("summarize", label: "staging").version == 2)
            let first = try library.prompt("summarize", version: 1)
            // The text file's final line break is not part of the template.
            #expect(
                first.template
                    == .text(
                        "Summarize the following text in {{ language }}, in at most {{max_words}} words:\n\n{{text}}"))
            #expect(first.variables == ["language", "max_words", "text"])
            #expect(first.config == nil)
            let triage = try library.prompt("support/triage")
            #expect(triage.version == 2)
            #expect(triage.labels == ["latest", "production"])
            #expect(triage.config == #"{"model":"gpt-4o","temperature":0.2}"#)
            #expect(triage.variables == ["product", "customer", "ticket"])
            guard case .chat(let messages) = triage.template else {
                Issue.record("support/triage is a chat prompt: \(triage.template)")
                return
            }
            #expect(messages.map(\.role) == ["system", "user"])
            #expect(messages[1].content == "Ticket from {{customer}}:\n{{ticket}}")
        }

        @Test("a version in JSON may be text; a prompt may have sub-prompts; hidden and .md files are skipped")
        func layoutVariants() throws {
            try PromptFixture.withDirectory(text: [
                "a/1.txt": "one", "a/2.json": #"{"prompt":"two {{x}}","config":{"k":[1,2]}}"#,
                "a/b/1.json": #"{"prompt":[{"role":"user","content":"hi"}]}"#, "a/.1.txt.swp": "junk",
                "NOTES.md": "notes", ".git/config": "x",
            ]) { dir in
                let library = try PromptLibrary(directory: dir)
                #expect(library.listing.map(\.name) == ["a", "a/b"])
                let two = try library.prompt("a", label: "latest")
                #expect(two.template == .text("two {{x}}") && two.config == #"{"k":[1,2]}"#)
                #expect(
                    try library.prompt("a/b", version: 1).template == .chat([ChatMessage(role: "user", content: "hi")]))
            }
        }

        @Test("a malformed or unexpected file is refused at load, the error naming the file and the line or field")
        func malformedFilesAreNamed() throws {
            let cases: [(files: [String: String], file: String, says: String)] = [
                (["p/1.json": "{\n  \"prompt\": \"x\",\n  oops\n}"], "p/1.json", "line 3, column 3"),
                (["p/1.json": #"{"prompt":"x","temperature":1}"#], "p/1.json", "unknown field `temperature`"),
                (["p/1.json": #"{"type":"chat","prompt":"x"}"#], "p/1.json", "a chat prompt is an array"),
                (["p/1.json": #"{"prompt":[{"role":"user"}]}"#], "p/1.json", "field `prompt[0]`: missing `content`"),
                (["p/1.json": #"{"prompt":[{"role":"","content":""}]}"#], "p/1.json", "`prompt[0]`.role"),
                (["p/1.json": #"{"prompt":"x","prompt":"y"}"#], "p/1.json", "field `prompt` appears twice"),
                (["p/1.json": #"{"type":"chat"}"#], "p/1.json", "no field `prompt`"),
                (["p/1.json": #"{"prompt":"x","config":[1]}"#], "p/1.json", "field `config`: expected a JSON object"),
                (["p/1.txt": "x", "p/labels.json": #"{"production":2}"#], "p/labels.json", "version 2 does not exist"),
                (["p/1.txt": "x", "p/labels.json": #"{"latest":1}"#], "p/labels.json", "`latest` always points"),
                (["p/1.txt": "x", "p/labels.json": #"{"Prod":1}"#], "p/labels.json", "field `Prod`: a label is"),
                (["p/1.txt": "x", "p/labels.json": #"{"production":"1"}"#], "p/labels.json", "a version number"),
                (["p/labels.json": #"{}"#], "p/labels.json", "labels without any version"),
                (["p/03.txt": "x"], "p/03.txt", "no leading zero"),
                (["p/0.txt": "x"], "p/0.txt", "version of 1 or more"),
                (["p/v2.json": "{}"], "p/v2.json", "not a version"),
                (["p/1.txt": "x", "p/prompt.yaml": "x"], "p/prompt.yaml", "not a prompt file"),
                (["1.txt": "x"], "1.txt", "directly in the prompt directory"),
            ]
            for (files, file, says) in cases {
                try PromptFixture.withDirectory(text: files) { dir in
                    let error = try #require(throws: PromptError.self) { try PromptLibrary(directory: dir) }
                    #expect(error.description.hasPrefix(dir + "/" + file + ": "), "\(files): \(error)")
                    #expect(error.description.contains(says), "\(files): \(error)")
                }
            }
        }

        @Test("a text file that is not UTF-8, a version written twice, a missing directory")
        func otherLoadErrors() throws {
            try PromptFixture.withDirectory(["p/1.txt": [0x68, 0xFF, 0x69]]) { dir in
                let error = try #require(throws: PromptError.self) { try PromptLibrary(directory: dir) }
                #expect(
                    error
                        == .malformedFile(path: dir + "/p/1.txt", problem: "not UTF-8 text; save the template as UTF-8")
                )
            }
            try PromptFixture.withDirectory(text: ["p/1.txt": "x", "p/1.json": #"{"prompt":"x"}"#]) { dir in
                let error = try #require(throws: PromptError.self) { try PromptLibrary(directory: dir) }
                #expect(
                    error == .duplicateVersion(name: "p", version: 1, paths: [dir + "/p/1.json", dir + "/p/1.txt"]))
                #expect(error.description.contains("keep one"))
            }
            try PromptFixture.withDirectory(text: [:]) { dir in
                let missing = dir + "/nope"
                let error = try #require(throws: PromptError.self) { try PromptLibrary(directory: missing) }
                guard case .unreadableDirectory(let path, _) = error else {
                    Issue.record("expected unreadableDirectory: \(error)")
                    return
                }
                #expect(path == missing)
                #expect(error.description.contains("cannot read the prompt directory \(missing)"))
                // An empty directory is a library without prompts.
                #expect(try PromptLibrary(directory: dir).listing.isEmpty)
            }
        }

        @Test("an unknown name, version or label lists what exists; a name with `..` is refused")
        func unknownLookupsListWhatExists() throws {
            let library = try PromptLibrary(directory: PromptFixture.examples)
            let name = try #require(throws: PromptError.self) { try library.prompt("summary") }
            #expect(name == .unknownPrompt(name: "summary", known: ["summarize", "support/triage"]))
            #expect(name.description.contains("the prompts are: summarize, support/triage"))
            let version = try #require(throws: PromptError.self) { try library.prompt("summarize", version: 7) }
            #expect(version == .unknownVersion(name: "summarize", version: 7, versions: [1, 2]))
            #expect(version.description.contains("its versions are: 1, 2"))
            let label = try #require(throws: PromptError.self) { try library.prompt("support/triage", label: "beta") }
            #expect(label == .unknownLabel(name: "support/triage", label: "beta", labels: ["latest", "production"]))
            #expect(label.description.contains("its labels are: latest, production"))
            for bad in ["../summarize", "/summarize", "support//triage", "support/./triage", ""] {
                #expect(throws: PromptError.invalidName(bad)) { try library.prompt(bad) }
            }
        }
    }
}
