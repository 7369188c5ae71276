import SpoolBase
import Testing

@Suite struct JSONReaderTests {
    func parse(_ text: String, maximumDepth: Int = JSONReader.defaultMaximumDepth) throws(JSONParseError)
        -> JSONValue
    {
        try JSONReader.parse(text, maximumDepth: maximumDepth)
    }

    func failure(_ text: String, maximumDepth: Int = JSONReader.defaultMaximumDepth) -> JSONParseError? {
        do throws(JSONParseError) {
            _ = try parse(text, maximumDepth: maximumDepth)
            return nil
        } catch {
            return error
        }
    }

    @Test func validDocumentsKeepOrderAndDuplicates() throws {
        let value = try parse(" \t\r\n{\"b\": [true, false, null], \"a\": {\"x\": \"y\"}, \"b\": 1} \n")
        #expect(
            value
                == .object([
                    JSONMember("b", .array([.bool(true), .bool(false), .null])),
                    JSONMember("a", .object([JSONMember("x", .string("y"))])),
                    JSONMember("b", .integer(1)),
                ]))
        #expect(value.member("b") == .array([.bool(true), .bool(false), .null]), "the first of duplicates")
        #expect(value.member("missing") == nil)
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object([]))
        #expect(try parse("\"\"") == .string(""))
        #expect(try parse("null") == .null)
    }

    @Test func everyEscape() throws {
        #expect(
            try parse(#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \ud83d\ude00 \u0000""#)
                == .string("\" \\ / \u{8} \u{C} \n \r \t A é € 😀 \u{0}"))
    }

    @Test(
        "unpaired surrogate escapes are rejected where they start",
        arguments: [
            #""ab\ud800""#, #""ab\udc00""#, #""ab\ud800x""#, #""ab\ud800\u0041""#, #""ab\ud800\ud800""#,
            #""ab\udbff\n""#,
        ])
    func loneSurrogates(text: String) {
        #expect(failure(text) == JSONParseError(offset: 3, problem: .loneSurrogate))
    }

    @Test func badEscapesAndStrings() {
        #expect(failure(#""a\x""#) == JSONParseError(offset: 2, problem: .invalidEscape))
        #expect(failure(#""a\u12""#) == JSONParseError(offset: 2, problem: .invalidEscape))
        #expect(failure(#""a\u12g4""#) == JSONParseError(offset: 2, problem: .invalidEscape))
        #expect(failure("\"a\nb\"") == JSONParseError(offset: 2, problem: .controlCharacterInString))
        #expect(failure("\"abc") == JSONParseError(offset: 4, problem: .unexpectedEnd))
        let invalidUTF8: [UInt8] = [UInt8(ascii: "["), UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\""), 0x5D]
        #expect(throws: JSONParseError(offset: 1, problem: .invalidUTF8)) { try JSONReader.parse(invalidUTF8) }
    }

    @Test func numbersKeepTheirTextAndTheIntegerDoubleDistinction() throws {
        func number(_ text: String) throws -> JSONNumber {
            guard case .number(let n) = try parse(text) else {
                throw JSONParseError(offset: 0, problem: .invalidNumber)
            }
            return n
        }
        #expect(try number("0").int64 == 0)
        #expect(try number("-0").int64 == 0)
        #expect(try number("9223372036854775807").int64 == .max)
        #expect(try number("-9223372036854775808").int64 == .min)
        let big = try number("9223372036854775808")
        #expect(big.isInteger && big.int64 == nil && big.double == 9_223_372_036_854_775_808)
        #expect(try number("18446744073709551615").text == "18446744073709551615", "no precision lost")
        let fraction = try number("5.0")
        #expect(!fraction.isInteger && fraction.int64 == nil && fraction.double == 5)
        #expect(try number("-3.5e+2").double == -350)
        #expect(try number("1E-2").double == 0.01)
        #expect(try number("1e400").double == .infinity)
    }

    @Test(
        "numbers outside the JSON grammar are rejected",
        arguments: ["01", "+1", "1.", ".5", "-", "1e", "1e+", "--1", "0x1", "1.e3", "-a", "NaN", "Infinity"])
    func invalidNumbers(text: String) {
        #expect(failure(text) != nil)
        #expect(failure("[\(text)]") != nil)
    }

    @Test func errorsNameTheOffset() {
        #expect(failure("") == JSONParseError(offset: 0, problem: .unexpectedEnd))
        #expect(failure("[1,") == JSONParseError(offset: 3, problem: .unexpectedEnd))
        #expect(failure("[1 2]") == JSONParseError(offset: 3, problem: .unexpectedByte(UInt8(ascii: "2"))))
        #expect(failure("{\"a\" 1}") == JSONParseError(offset: 5, problem: .unexpectedByte(UInt8(ascii: "1"))))
        #expect(failure("{1:2}") == JSONParseError(offset: 1, problem: .unexpectedByte(UInt8(ascii: "1"))))
        #expect(failure("[tru]") == JSONParseError(offset: 1, problem: .invalidLiteral))
        #expect(failure("[1,]") == JSONParseError(offset: 3, problem: .unexpectedByte(UInt8(ascii: "]"))))
        #expect(failure("{} x") == JSONParseError(offset: 3, problem: .trailingData))
        #expect(failure("1 2") == JSONParseError(offset: 2, problem: .trailingData))
        #expect(failure("\u{FEFF}{}") == JSONParseError(offset: 0, problem: .unexpectedByte(0xEF)))
        #expect(failure("{} x")?.description == "invalid JSON at byte 3: data after the end of the document")
    }

    @Test func nestingIsLimited() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(deepest) }
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(failure(tooDeep) == JSONParseError(offset: 64, problem: .tooDeep(limit: 64)))
        #expect(
            failure(#"{"a":{"b":[1]}}"#, maximumDepth: 2) == JSONParseError(offset: 10, problem: .tooDeep(limit: 2)))
        #expect(throws: Never.self) { try parse(#"{"a":{"b":1}}"#, maximumDepth: 2) }
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(failure(hostile)?.problem == .tooDeep(limit: 64), "no stack overflow")
    }
}

/// `JSONReader.isValid` accepts exactly what `JSONReader.parse` accepts, without building the value.
@Suite struct JSONReaderValidityTests {
    /// A document with every kind of value, escapes, non-ASCII text, U+2028 and white space.
    static let rich = """
         {"a" : [1, -2.5e+3, 0, true, false, null, "x\\"y\\\\z\\u00e9\\ud83d\\ude00", {"é": "ü  \u{2028}"}],
          "b":{"c":{"d":[[], {}, "long text that is longer than twenty-four bytes"]}}, "e":"\\n\\t"}\t
        """

    static func agrees(_ bytes: [UInt8], maximumDepth: Int = JSONReader.defaultMaximumDepth) -> Bool {
        let parsed = (try? JSONReader.parse(bytes, maximumDepth: maximumDepth)) != nil
        return JSONReader.isValid(bytes, maximumDepth: maximumDepth) == parsed
    }

    @Test(
        "fixed documents, valid and not",
        arguments: [
            rich, "{}", "[]", " 7 ", "\"s\"", "null", "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "[1 2]",
            "01", "1.", "-", "1e+", "tru", "nul", "\"\\x\"", "\"\\ud800\"", "\"a\u{1}b\"", "[1]]", "{} {}",
            "\"unterminated", "\"long text that is longer than twenty-four bytes and not closed",
        ])
    func fixed(text: String) {
        #expect(Self.agrees(Array(text.utf8)), "\(text.debugDescription)")
    }

    @Test("every prefix, and every byte of the rich document replaced by each of a few others")
    func mutations() {
        let bytes = Array(Self.rich.utf8)
        for end in 0...bytes.count { #expect(Self.agrees(Array(bytes[..<end])), "prefix of \(end) bytes") }
        let substitutes: [UInt8] = [0x00, 0x0A, 0x20, 0x22, 0x2C, 0x30, 0x3A, 0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x80, 0xFF]
        for i in bytes.indices {
            for substitute in substitutes where substitute != bytes[i] {
                var mutated = bytes
                mutated[i] = substitute
                #expect(Self.agrees(mutated), "byte \(i) replaced by \(substitute)")
            }
        }
    }

    @Test("the nesting limit applies as in parse")
    func depth() {
        for depth in 1...6 {
            let text = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
            #expect(Self.agrees(text, maximumDepth: 4), "depth \(depth)")
        }
    }
}
