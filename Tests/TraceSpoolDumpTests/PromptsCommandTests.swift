import Foundation
import Testing

@testable import tracespool_dump

/// `tracespool-dump prompts DIR [--json]`, run as the built executable.
@Suite struct PromptsCommandTests {
    static let examples = GoldenVectors.packageRoot + "/Examples/Prompts"

    @Test func listsEachVersionWithTypeLabelsAndVariables() throws {
        let run = try DumpBinary.run(["prompts", Self.examples])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        #expect(
            run.stdout == """
                NAME            VERSION  TYPE  LABELS             VARIABLES
                summarize             1  text  production         language,max_words,text
                summarize             2  text  latest,staging     language,max_words,text
                support/triage        1  chat  -                  product,ticket
                support/triage        2  chat  latest,production  product,customer,ticket

                """)
    }

    @Test func jsonListing() throws {
        let run = try DumpBinary.run(["prompts", "--json", Self.examples])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["directory"] as? String == Self.examples)
        let prompts = try #require(object["prompts"] as? [[String: Any]])
        #expect(prompts.map { $0["name"] as? String } == ["summarize", "support/triage"])
        #expect(prompts[0]["labels"] as? [String: Int] == ["latest": 2, "production": 1, "staging": 2])
        let versions = try #require(prompts[1]["versions"] as? [[String: Any]])
        #expect(versions.map { $0["version"] as? Int } == [1, 2])
        #expect(versions[1]["type"] as? String == "chat")
        #expect(versions[1]["labels"] as? [String] == ["latest", "production"])
        #expect(versions[1]["variables"] as? [String] == ["product", "customer", "ticket"])
        let config = try #require(versions[1]["config"] as? [String: Any])
        #expect(config["model"] as? String == "gpt-4o")
        #expect((prompts[0]["versions"] as? [[String: Any]])?[0]["config"] == nil)
    }

    @Test func badDirectoriesFailWithOneLineNamingTheProblem() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("prompts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/p", withIntermediateDirectories: true)
        try Data(#"{"prompt": [1]}"#.utf8).write(to: URL(fileURLWithPath: root + "/p/1.json"))
        for (input, says) in [
            (root, root + "/p/1.json: field `prompt[0]`"),
            (root + "/missing", "cannot read the prompt directory " + root + "/missing"),
        ] {
            let run = try DumpBinary.run(["prompts", input])
            #expect(run.status == DumpExitCode.failure.rawValue, "\(run.stderr)")
            #expect(run.stderr.hasPrefix("tracespool-dump: " + says), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        // An empty directory holds no prompts; no directory at all is a usage error.
        try FileManager.default.removeItem(atPath: root + "/p")
        let empty = try DumpBinary.run(["prompts", root])
        #expect(empty.status == 0 && empty.stdout == "no prompts in \(root)\n")
        #expect(try DumpBinary.run(["prompts"]).status == DumpExitCode.usage.rawValue)
    }
}
