import SpoolBase
import Testing

@testable import TraceSpoolLLM

/// The scanner the streaming paths read chunks with: a document object or array is bounded without a walk, and the
/// walks that follow reject what does not end where the document ends.
@Suite("Provider JSON scanner")
struct ProviderJSONScannerTests {
    static func scanner(_ text: String) -> ProviderJSONScanner { ProviderJSONScanner(Array(text.utf8)) }

    /// The keys and values `forEachMember` reports for the document `text`, and whether it accepted the object.
    static func members(_ text: String) -> (ok: Bool, members: [String]) {
        let s = scanner(text)
        guard let document = s.document else { return (false, []) }
        var members: [String] = []
        let ok = s.forEachMember(in: document) { key, value in
            members.append(
                String(decoding: s.bytes[key], as: UTF8.self) + "=" + String(decoding: s.bytes[value], as: UTF8.self))
        }
        return (ok, members)
    }

    @Test("members of a well-formed object, white space around and inside")
    func wellFormed() {
        let result = Self.members(" \n{ \"a\" : 1 , \"b\":{\"c\":[1,\"}\"]},\"d\":\"x\\\"y\" }\r\n")
        #expect(result.ok)
        #expect(result.members == ["a=1", #"b={"c":[1,"}"]}"#, #"d="x\"y""#])
        #expect(Self.members("{}").ok)
        #expect(Self.members(" { } ").ok)
    }

    @Test(
        "an object that closes before the document ends, or does not close, is rejected",
        arguments: [#"{"a":1}}"#, #"{"a":1} x}"#, #"{"a":1},{"b":2}"#, #"{}}"#, #"{"a":{"b":1}"#, #"{"a":1"#, "{", "}"])
    func trailingOrTruncated(text: String) {
        #expect(!Self.members(text).ok, "\(text)")
        let s = Self.scanner(text)
        if let document = s.document { #expect(s.members(document) == nil, "\(text)") }
    }

    @Test("elements of an array, and an array that closes before the document ends")
    func arrays() {
        func elements(_ text: String) -> (ok: Bool, count: Int) {
            let s = Self.scanner(text)
            guard let document = s.document else { return (false, 0) }
            var count = 0
            let ok = s.forEachElement(in: document) { _ in count += 1 }
            return (ok, count)
        }
        #expect(elements(#"[1, "]", {"a":[2]} ]"#) == (true, 3))
        #expect(elements("[ ]") == (true, 0))
        #expect(!elements("[1]]").ok)
        #expect(!elements("[]]").ok)
        #expect(!elements("[1],[2]").ok)
    }

    @Test("a document that is not an object or array is walked whole")
    func scalars() {
        #expect(Self.scanner(#" "text" "#).document == 1..<7)
        #expect(Self.scanner("42").document == 0..<2)
        #expect(Self.scanner(#""text" x"#).document == nil)
        #expect(Self.scanner("").document == nil)
        #expect(Self.scanner("   ").document == nil)
    }
}

/// `ProviderJSONScanner.compact` writes what `JSONWriter.value` writes of the parsed value, whether it copies the
/// text or parses and writes it.
@Suite("Provider JSON scanner: compact text")
struct ProviderJSONScannerCompactTests {
    @Test(
        "copied or written, the same compact text",
        arguments: [
            #"{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}"#,
            "{ \"type\" : \"function\" ,\n  \"function\": { \"name\": \"get weather\", \"enum\": [ 1 , 2.50, -3e2 ] } }",
            #"{"description":"a \"quoted\" word and a \\ backslash, \u00e9"}"#,
            "{\"description\": \"caf\u{e9} \u{2028} \u{7f}\", \"x\" : [ true , false , null ] }",
            "{\"d\": \"line\u{2028}separator\u{2029}\"}", "{\"d\": \"del \u{7f}\"}", "[ ]", " { } ",
            "\"  spaced  string  \"", "12.50",
        ])
    func sameAsWriter(text: String) throws {
        let s = ProviderJSONScanner(Array(text.utf8))
        let document = try #require(s.document)
        var writer = JSONWriter()
        writer.value(try JSONReader.parse(text))
        #expect(s.compact(document) == writer.text)
    }
}
