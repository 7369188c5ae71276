import CSpoolSupport
import Foundation
import SpoolBase
import Testing

@Suite struct JSONWriterTests {
    @Test func commasFollowTheNestingWithoutHelpFromTheCaller() {
        var json = JSONWriter()
        json.beginObject()
        json.key("a"); json.number(1)
        json.key("b")
        json.beginArray()
        json.number(2)
        json.beginObject()
        json.endObject()
        json.beginArray()
        json.null()
        json.bool(true)
        json.endArray()
        json.string("x")
        json.endArray()
        json.key(escaping: "c\"d"); json.bool(false)
        json.endObject()
        #expect(json.text == #"{"a":1,"b":[2,{},[null,true],"x"],"c\"d":false}"#)
    }

    @Test func stringsAreEscapedByTheOneRuleSet() {
        var json = JSONWriter()
        json.string("quote\" backslash\\ slash/ nl\n cr\r tab\t bs\u{8} ff\u{C} nul\u{0} ctl\u{1F} del\u{7F} é 😀")
        #expect(
            json.text
                == #""quote\" backslash\\ slash/ nl\n cr\r tab\t bs\b ff\f nul\u0000 ctl\u001f del\u007f é 😀""#)
        var separators = JSONWriter()
        separators.string("ls\u{2028} ps\u{2029} euro\u{20AC}")
        #expect(separators.text == "\"ls\\u2028 ps\\u2029 euro\u{20AC}\"")
    }

    @Test func everyControlCharacterIsEscapedAndTheTextReadsBack() throws {
        let all = String(decoding: Array(0...127) as [UInt8], as: UTF8.self) + "\u{2028}\u{2029}"
        var json = JSONWriter()
        json.string(all)
        #expect(!json.bytes.contains { $0 < 0x20 || $0 == 0x7F })
        #expect(try JSONReader.parse(json.bytes) == .string(all))
    }

    @Test("each character that needs escaping is escaped at every position of a sixteen-byte block")
    func escapingAtEveryLane() {
        // Every ASCII byte, the two separators, and neighbours that share their first byte (0xE2) or are non-ASCII.
        let characters =
            (0...127).map { String(UnicodeScalar(UInt8($0))) } + [
                "\u{2028}", "\u{2029}", "\u{2027}", "\u{20AC}", "é", "😀",
            ]
        for character in characters {
            for offset in 0..<33 {
                let padding = String(repeating: "a", count: offset)
                var json = JSONWriter()
                json.string(padding + character + padding)
                #expect(json.text == "\"" + padding + Self.escaped(character) + padding + "\"", "offset \(offset)")
            }
        }
    }

    /// The escaping rule, one character at a time.
    static func escaped(_ character: String) -> String {
        let scalar = character.unicodeScalars.first!
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{8}": return "\\b"
        case "\u{C}": return "\\f"
        case "\u{0}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
            let hex = String(scalar.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: return character
        }
    }

    @Test func numbersAndBytes() {
        var json = JSONWriter()
        json.beginArray()
        json.number(Int64.min)
        json.number(UInt64.max)
        json.quotedNumber(UInt64.max)
        json.double(0.1)
        json.double(1e-5)
        json.double(2)
        json.double(.nan)
        json.double(-.infinity)
        json.proto3Double(.nan)
        json.proto3Double(.infinity)
        json.proto3Double(-.infinity)
        json.proto3Double(1.5)
        json.hex([0x00, 0xAB, 0xFF])
        json.endArray()
        #expect(
            json.text
                == #"[-9223372036854775808,18446744073709551615,"18446744073709551615",0.1,1e-05,2.0,null,null,"#
                + #""NaN","Infinity","-Infinity",1.5,"00abff"]"#)
    }

    @Test(
        "base64 is RFC 4648's, with padding",
        arguments: [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ])
    func base64(input: String, expected: String) {
        var json = JSONWriter()
        json.base64(Array(input.utf8))
        #expect(json.text == "\"\(expected)\"")
    }

    @Test func base64OfEveryByteValue() {
        var out: [UInt8] = []
        Base64.append([0xFB, 0xFF, 0xBF], to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "+/+/")
    }

    @Test func prettyLayoutIsTheGoldenVectorsLayout() {
        let value = JSONValue.object([
            JSONMember("b", .integer(1)),
            JSONMember("a", .string("x\"y")),
            JSONMember("numbers", .array([.integer(1), .integer(-2), .number(JSONNumber(0.5)!)])),
            JSONMember("empty", .array([])),
            JSONMember("none", .object([])),
            JSONMember("null", .null),
            JSONMember(
                "objects",
                .array([
                    .object([JSONMember("k", .bool(true))]),
                    .array([.string("s"), .integer(3)]),
                ])),
        ])
        var json = JSONWriter()
        json.writePretty(value)
        let expected = """
            {
              "b": 1,
              "a": "x\\"y",
              "numbers": [1, -2, 0.5],
              "empty": [],
              "none": {},
              "null": null,
              "objects": [
                {
                  "k": true
                },
                [
                  "s",
                  3
                ]
              ]
            }
            """
        #expect(json.text == expected)
    }

    @Test func compactValueWritingRoundTripsThroughTheReader() throws {
        let value = JSONValue.object([
            JSONMember("key", .array([.integer(UInt64.max), .number(JSONNumber(-1.25e-7)!), .null, .bool(false)])),
            JSONMember("key", .string("duplicate keys are kept")),
            JSONMember("ünïcödé\n", .object([])),
        ])
        var json = JSONWriter()
        json.value(value)
        #expect(try JSONReader.parse(json.bytes) == value)
    }
}

/// `JSONWriter.double` writes Swift's shortest round-trip `description` of every finite double, whether from the
/// digits of a short decimal or from the `String`.
@Suite struct JSONWriterDoubleTests {
    static func written(_ value: Double) -> String {
        var json = JSONWriter()
        json.double(value)
        return json.text
    }

    @Test(
        "edge values",
        arguments: [
            0.0, -0.0, 0.001, -0.001, 0.0005, 0.0001, 1e-5, 0.1 + 0.2, 0.2, 0.7, 0.95, 1.0, 256.0, -3.5, 0.125, 1.005,
            999_999_999.999, 1e9 - 0.001, 1e9, 1e9 + 0.5, 123_456_789.123, 4_503_599_627_370_497.0, .ulpOfOne,
            .leastNonzeroMagnitude, .greatestFiniteMagnitude, 2.675, 1.0 / 3.0,
        ])
    func edges(value: Double) {
        #expect(Self.written(value) == value.description)
    }

    @Test("decimals of up to four places at every magnitude, and random bit patterns")
    func random() {
        // A fixed-seed xorshift: the same values on every run.
        var state: UInt64 = 0x5EED_5EED_5EED_5EED
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        func power(_ n: Int) -> Double { (0..<n).reduce(1.0) { product, _ in product * 10 } }
        for _ in 0..<20_000 {
            let places = Int(next() % 5)
            let units = Double(next() % (10_000 * UInt64(power(Int(next() % 13)))))
            let value = units / power(places) * (next() % 2 == 0 ? 1 : -1)
            #expect(Self.written(value) == value.description, "\(value)")
            let bits = Double(bitPattern: next())
            if bits.isFinite { #expect(Self.written(bits) == bits.description) }
        }
    }
    @Test("escapes are found at every position of strings of every length, in the vector steps and after them")
    func escapesAtEveryPosition() throws {
        for length in 1...48 {
            for position in 0..<length {
                for special in ["\"", "\\", "\n", "\u{01}", "\u{7F}", "\u{2028}", "\u{2029}"] {
                    var characters = [String](repeating: "a", count: length)
                    characters[position] = special
                    let text = characters.joined()
                    var json = JSONWriter()
                    json.string(text)
                    let bytes = Array(json.text.utf8)
                    // Nothing that must be escaped is left raw, and the text reads back as the string.
                    #expect(!bytes.contains(0x7F) && !bytes.contains(0x0A) && !bytes.contains(0x01))
                    #expect(!json.text.contains("\u{2028}") && !json.text.contains("\u{2029}"))
                    let decoded = try JSONDecoder().decode(String.self, from: Data(bytes))
                    #expect(decoded == text, "\(length) bytes, \(special.debugDescription) at \(position)")
                }
            }
        }
    }

    /// `text` escaped by `tracespool_json_escape` (or its narrow variant) in calls of at most `room` bytes each.
    static func escaped(_ text: String, room: Int, wide: Bool) -> String {
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < utf8.count {
            var chunk = [UInt8](repeating: 0, count: room)
            var written = 0
            let consumed = utf8.withUnsafeBufferPointer { src in
                chunk.withUnsafeMutableBufferPointer { dst in
                    wide
                        ? tracespool_json_escape(src.baseAddress! + i, utf8.count - i, dst.baseAddress!, room, &written)
                        : tracespool_json_escape_narrow(
                            src.baseAddress! + i, utf8.count - i, dst.baseAddress!, room, &written)
                }
            }
            guard consumed > 0, written <= room else {
                Issue.record("no progress or overflow: \(consumed) consumed, \(written) written in \(room)")
                break
            }
            out += chunk[0..<written]
            i += consumed
        }
        return "\"" + String(decoding: out, as: UTF8.self) + "\""
    }

    @Test(
        "the escaping copy writes what a scalar-by-scalar escaper writes, with and without 32-byte steps, in any room"
    )
    func escapingCopy() {
        // One escape at every position of strings of every length up to past three 32-byte steps.
        for length in 0...100 {
            for position in 0...length {
                for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}", "\u{7F}", "\u{2028}", "é", "“"] {
                    var characters = [String](repeating: "a", count: length)
                    if position < length { characters[position] = special }
                    if position + 7 < length { characters[position + 7] = "\"" }
                    let text = characters.joined()
                    for wide in [true, false] {
                        #expect(
                            Self.escaped(text, room: 1_000, wide: wide) == Self.reference(text),
                            "\(text.debugDescription)")
                    }
                }
            }
        }
        // Dense escapes, in rooms from the least that always progresses to more than the text.
        let pieces = ["a", "plain text ", "\"", "\\", "\n", "\u{01}", "\u{7F}", "\u{2028}", "\u{2029}", "é", "€", "😀"]
        var state: UInt64 = 42
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int(state % 60) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            for room in [6, 7, 16, 17, 31, 32, 33, 48, 64, 1_000] {
                for wide in [true, false] {
                    #expect(Self.escaped(text, room: room, wide: wide) == Self.reference(text), "room \(room)")
                }
            }
        }
    }

    /// The JSON string literal `JSONWriter` writes for `text`, a scalar at a time.
    static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test(
        "strings with many escapes, beyond the room appended at once, are written as a scalar-by-scalar escaper writes them"
    )
    func manyEscapes() {
        let pieces = [
            "a", "plain text ", "\"", "\\", "\n", "\u{01}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "é", "€", "😀",
        ]
        var random = SystemRandomNumberGenerator()
        for length in [0, 1, 5, 31, 32, 33, 100, 300] {
            for _ in 0..<50 {
                let text = (0..<length).map { _ in pieces.randomElement(using: &random)! }.joined()
                var json = JSONWriter()
                json.string(text)
                #expect(json.text == Self.reference(text), "\(text.debugDescription)")
            }
        }
        // Only escapes that take six bytes each.
        let controls = String(repeating: "\u{01}\u{2028}", count: 100)
        var json = JSONWriter()
        json.string(controls)
        #expect(json.text == Self.reference(controls))
    }
}
