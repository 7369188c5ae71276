import SpoolBase
import Testing

@testable import TraceSpoolLLM

@Suite("Canonical JSON for request matching")
struct CanonicalJSONTests {
    func canonical(_ text: String, ignoring: [String] = []) throws -> String {
        let paths = ignoring.map { RequestMatchFieldPath($0)! }
        return String(
            decoding: CanonicalJSON.bytes(CanonicalJSON.canonical(try JSONReader.parse(text), ignoring: paths)),
            as: UTF8.self)
    }

    @Test("members sorted at every level, arrays kept in order, white space and escapes irrelevant")
    func sorting() throws {
        #expect(try canonical(#"{"b":1,"a":{"d":[3,1],"c":"\u00e9"}}"#) == #"{"a":{"c":"é","d":[3,1]},"b":1}"#)
        #expect(try canonical(#" { "a" : [ { "z" : 1 , "y" : 2 } ] } "#) == #"{"a":[{"y":2,"z":1}]}"#)
        // UTF-8 byte order: upper case before lower case, shorter prefix first.
        #expect(try canonical(#"{"b":0,"B":0,"ab":0,"a":0}"#) == #"{"B":0,"a":0,"ab":0,"b":0}"#)
    }

    @Test(
        "numbers compare by value",
        arguments: [
            ("1", "1"), ("1.0", "1"), ("1e0", "1"), ("10E-1", "1"), ("-0", "0"), ("-0.0", "0"), ("0.2", "0.2"),
            ("2.0e-1", "0.2"), ("9007199254740993", "9007199254740993"),
            ("123456789012345678901234567890", "1.2345678901234568e+29"),
            ("1e400", "1e400"),
        ])
    func numbers(literal: String, expected: String) throws {
        #expect(try canonical("[\(literal)]") == "[\(expected)]")
    }

    @Test(
        "ignored field paths parse",
        arguments: [
            ("user", true), ("metadata.run_id", true), ("messages[*].name", true), ("messages[0].content", true),
            ("[*].id", true), ("input[*][*].id", true), ("", false), ("a..b", false), ("a[x]", false), ("a[*", false),
            ("a.[0]", false), ("a]", false), ("a[-1]", false),
        ])
    func fieldPaths(text: String, valid: Bool) {
        #expect((RequestMatchFieldPath(text) != nil) == valid)
    }

    @Test("ignored fields are removed where they are and nowhere else")
    func removal() throws {
        let body =
            #"{"user":"u","metadata":{"run_id":"r","team":"t"},"messages":[{"role":"user","name":"a","content":"x"},{"role":"assistant","name":"b"}]}"#
        #expect(
            try canonical(body, ignoring: ["user"])
                == #"{"messages":[{"content":"x","name":"a","role":"user"},{"name":"b","role":"assistant"}],"metadata":{"run_id":"r","team":"t"}}"#
        )
        #expect(
            try canonical(body, ignoring: ["metadata.run_id", "messages[*].name"])
                == #"{"messages":[{"content":"x","role":"user"},{"role":"assistant"}],"metadata":{"team":"t"},"user":"u"}"#
        )
        #expect(
            try canonical(body, ignoring: ["messages[1]", "metadata", "user"])
                == #"{"messages":[{"content":"x","name":"a","role":"user"}]}"#)
        #expect(
            try canonical(body, ignoring: ["messages[0].content", "nothing.here", "messages[7]", "user.name"])
                == #"{"messages":[{"name":"a","role":"user"},{"name":"b","role":"assistant"}],"metadata":{"run_id":"r","team":"t"},"user":"u"}"#
        )
        #expect(try canonical(#"[{"id":1,"x":2}]"#, ignoring: ["[*].id"]) == #"[{"x":2}]"#)
    }

    @Test("the match key leaves out scheme, host, port, fragment and credential query parameters")
    func matchKey() {
        let a = RequestMatchKey(
            method: "post", url: "https://api.openai.com/v1/x?api-version=2&key=S#f", body: [], ignoring: [])
        let b = RequestMatchKey(method: "POST", url: "http://localhost:1234/v1/x?api-version=2", body: [], ignoring: [])
        #expect(a == b)
        #expect(a.path == "/v1/x")
        #expect(a.query == "api-version=2")
        #expect(RequestMatchKey.pathAndQuery(of: "https://host").path == "/")
        #expect(RequestMatchKey.pathAndQuery(of: "https://host?x=1") == ("/", "x=1"))
        #expect(RequestMatchKey.pathAndQuery(of: "/relative/path?token=T&b=2") == ("/relative/path", "b=2"))
        let c = RequestMatchKey(method: "POST", url: "http://localhost:1234/v1/x?api-version=3", body: [], ignoring: [])
        #expect(a != c)
    }
}
