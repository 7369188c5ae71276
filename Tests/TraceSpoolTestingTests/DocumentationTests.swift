import Foundation
import Testing

/// The `swift` examples of the documentation: every block of README.md and Docs/*.md, and every block in a `///`
/// comment under Sources/, must be code of a test source, verbatim, so that `swift test` compiles it (and runs it
/// where it can run without a network). The test sources that hold them say so at their top.
@Suite("Documentation examples")
struct DocumentationTests {
    /// The package root (this file is `Tests/TraceSpoolTestingTests/DocumentationTests.swift`).
    static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// One `swift` block and where it was found.
    struct Example: CustomStringConvertible {
        var file: String
        var code: String
        var description: String { "\(file):\n\(code)" }
    }

    /// The `swift` blocks of a Markdown text: the lines between a fence `` ```swift `` and the next `` ``` `` at the
    /// same indentation, that indentation removed (a block inside a list item is indented).
    static func markdownBlocks(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        var indentation = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if current == nil, trimmed == "```swift" {
                current = []
                indentation = line.count - trimmed.count
            } else if var lines = current {
                if trimmed == "```", line.count - trimmed.count == indentation {
                    blocks.append(lines.joined(separator: "\n"))
                    current = nil
                } else {
                    lines.append(line.dropFirst(min(indentation, line.count - trimmed.count)))
                    current = lines
                }
            }
        }
        return blocks
    }

    /// The `swift` blocks of the `///` comments of a Swift source, without the comment markers.
    static func docCommentBlocks(_ source: String) -> [String] {
        var comment: [Substring] = []
        var text: [String] = []
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("///") {
                let body = trimmed.dropFirst(3)
                comment.append(body.hasPrefix(" ") ? body.dropFirst() : body)
            } else if !comment.isEmpty {
                text.append(comment.joined(separator: "\n"))
                comment = []
            }
        }
        text.append(comment.joined(separator: "\n"))
        return text.flatMap(markdownBlocks)
    }

    /// Whether `source` holds `code`: its leading `import` lines as lines of `source`, the rest verbatim, either as it
    /// is or with every non-empty line indented by the same number of spaces (code inside a function or a closure).
    static func source(_ source: String, holds code: String) -> Bool {
        var lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        var imports: [Substring] = []
        while let first = lines.first, first.hasPrefix("import ") || (first.isEmpty && !imports.isEmpty) {
            if !first.isEmpty { imports.append(first) }
            lines.removeFirst()
        }
        let sourceLines = Set(source.split(separator: "\n", omittingEmptySubsequences: false))
        guard imports.allSatisfy(sourceLines.contains) else { return false }
        if lines.isEmpty { return true }
        return stride(from: 0, through: 16, by: 4).contains { width in
            let indentation = String(repeating: " ", count: width)
            let indented = lines.map { $0.isEmpty ? "" : indentation + $0 }.joined(separator: "\n")
            return source.contains(indented + "\n")
        }
    }

    /// Every example of the documentation.
    static func examples() throws -> [Example] {
        let files = FileManager.default
        var examples: [Example] = []
        let docs = try files.contentsOfDirectory(atPath: packageRoot + "/Docs").filter { $0.hasSuffix(".md") }
        for file in ["README.md"] + docs.sorted().map({ "Docs/" + $0 }) {
            let text = try String(contentsOfFile: packageRoot + "/" + file, encoding: .utf8)
            examples += markdownBlocks(text).map { Example(file: file, code: $0) }
        }
        for file in try swiftFiles(under: "Sources") {
            let text = try String(contentsOfFile: packageRoot + "/" + file, encoding: .utf8)
            examples += docCommentBlocks(text).map { Example(file: file, code: $0) }
        }
        return examples
    }

    /// The paths, relative to the package root, of the Swift files under `directory`.
    static func swiftFiles(under directory: String) throws -> [String] {
        let paths = try FileManager.default.subpathsOfDirectory(atPath: packageRoot + "/" + directory)
        return paths.filter { $0.hasSuffix(".swift") }.sorted().map { directory + "/" + $0 }
    }

    @Test("every swift example of the documentation is code of a test source, verbatim")
    func everyExampleIsTestCode() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 20)
        let ownPath = "Tests/TraceSpoolTestingTests/DocumentationTests.swift"
        let tests = try Self.swiftFiles(under: "Tests").filter { $0 != ownPath }.map {
            try String(contentsOfFile: Self.packageRoot + "/" + $0, encoding: .utf8)
        }
        for example in examples {
            #expect(
                tests.contains { Self.source($0, holds: example.code) },
                "an example that no test source holds (compile it in a test, verbatim): \(example)")
        }
    }

    @Test("the extraction finds indented blocks, doc comment blocks and indented code")
    func extraction() {
        let markdown = "text\n```swift\nlet a = 1\n```\n- item\n\n  ```swift\n  if x {\n      y()\n  }\n  ```\n"
        #expect(Self.markdownBlocks(markdown) == ["let a = 1", "if x {\n    y()\n}"])
        let source = "/// Doc.\n///\n/// ```swift\n/// let b = 2\n/// ```\nfunc f() {}\n"
        #expect(Self.docCommentBlocks(source) == ["let b = 2"])
        let test = "import A\n\nfunc g() {\n    let b = 2\n    h(b)\n}\n"
        #expect(Self.source(test, holds: "import A\n\nlet b = 2\nh(b)"))
        #expect(!Self.source(test, holds: "import B\n\nlet b = 2"))
        #expect(!Self.source(test, holds: "let b = 3"))
        #expect(!Self.source(test, holds: "let b = 2\n  h(b)"))
    }
}
