import OTLPWire
import Testing

@testable import TraceSpoolStore

/// The JSON of the store's columns, written and read back.
@Suite struct StoreColumnCodecTests {
    @Test func readingKeepsOrderAndTypes() throws {
        let attributes = try #require(
            StoreColumnCodec.decodeAttributes(
                #"{"b":1,"a":2.5,"s":"x\"\u00e9\ud83d\ude00","t":true,"n":null,"l":["u",3],"o":{"k":false}}"#))
        #expect(attributes.map(\.key) == ["b", "a", "s", "t", "n", "l", "o"])
        #expect(attributes[0].value == .int(1) && attributes[1].value == .double(2.5))
        #expect(attributes[2].value == .string("x\"é😀"))
        #expect(attributes[3].value == .bool(true) && attributes[4].value == .empty)
        #expect(attributes[5].value == .array([.string("u"), .int(3)]))
        #expect(attributes[6].value == .kvlist([.init("k", .bool(false))]))
        #expect(StoreColumnCodec.decodeAttributes("[1]") == nil)
        #expect(StoreColumnCodec.decodeAttributes(#"{"a":1"#) == nil)
        let events = try #require(
            StoreColumnCodec.decodeEvents(
                #"[{"name":"exception","time_unix_nano":42,"attributes":{"exception.type":"E"}}]"#))
        #expect(
            events == [.init(timeUnixNano: 42, name: "exception", attributes: [.init("exception.type", .string("E"))])])
        let links = try #require(
            StoreColumnCodec.decodeLinks(
                #"[{"traceId":"0a0b","spanId":"ff","traceState":"t=1","attributes":{"k":1},"droppedAttributesCount":2,"flags":3},{}]"#
            ))
        #expect(
            links == [
                .init(
                    traceID: [0x0A, 0x0B], spanID: [0xFF], traceState: "t=1", attributes: [.init("k", .int(1))],
                    droppedAttributesCount: 2, flags: 3),
                .init(),
            ])
        #expect(StoreColumnCodec.decodeLinks(#"[{"traceId":"xyz"}]"#) == nil)
        #expect(StoreColumnCodec.decodeLinks(#"{"traceId":"00"}"#) == nil)
        #expect(StoreColumnCodec.decodeEvents(#"[1]"#) == nil)
    }

    @Test func writingUsesPlainJSONForEveryValue() {
        let attributes: [OTLPKeyValue] = [
            OTLPKeyValue("s", .string("a\"b\n")), OTLPKeyValue("i", .int(-9_223_372_036_854_775_808)),
            OTLPKeyValue("d", .double(0.1)), OTLPKeyValue("nan", .double(.nan)),
            OTLPKeyValue("inf", .double(-.infinity)), OTLPKeyValue("t", .bool(false)),
            OTLPKeyValue("bytes", .bytes([0x00, 0xAB])), OTLPKeyValue("e", .empty),
            OTLPKeyValue("l", .array([.int(1), .array([]), .kvlist([])])),
            OTLPKeyValue("o", .kvlist([OTLPKeyValue("k", .string("v"))])),
        ]
        #expect(
            StoreColumnCodec.encode(attributes: attributes)
                == #"{"s":"a\"b\n","i":-9223372036854775808,"d":0.1,"nan":null,"inf":null,"t":false,"#
                + #""bytes":"00ab","e":null,"l":[1,[],{}],"o":{"k":"v"}}"#)
        #expect(StoreColumnCodec.encode(attributes: []) == "{}")
        #expect(StoreColumnCodec.encode(events: []) == "[]" && StoreColumnCodec.encode(links: []) == "[]")
        #expect(
            StoreColumnCodec.encode(events: [OTLPEvent(timeUnixNano: UInt64.max, name: "e")])
                == #"[{"name":"e","time_unix_nano":-1,"attributes":{}}]"#, "times are SQLite's signed 64 bits")
    }

    @Test func textColumnsTakeTheLastValueOfAKey() {
        let attributes: [OTLPKeyValue] = [
            OTLPKeyValue("k", .string("first")), OTLPKeyValue("k", .string("last")), OTLPKeyValue("n", .int(7)),
            OTLPKeyValue("l", .array([.string("x")])),
        ]
        #expect(StoreColumnCodec.text(of: "k", in: attributes) == "last")
        #expect(StoreColumnCodec.text(of: "n", in: attributes) == "7")
        #expect(StoreColumnCodec.text(of: "l", in: attributes) == #"["x"]"#)
        #expect(StoreColumnCodec.text(of: "missing", in: attributes) == nil)
    }

    @Test func whatIsWrittenReadsBack() throws {
        let attributes: [OTLPKeyValue] = [
            OTLPKeyValue("z", .string("é")), OTLPKeyValue("a", .int(Int64.max)), OTLPKeyValue("d", .double(-2.5e-300)),
            OTLPKeyValue("l", .array([.bool(true), .empty])), OTLPKeyValue("o", .kvlist([OTLPKeyValue("x", .int(0))])),
        ]
        #expect(StoreColumnCodec.decodeAttributes(StoreColumnCodec.encode(attributes: attributes)) == attributes)
        // Bytes come back as their hex text; a double stays a double, even a whole number (written as `2.0`).
        #expect(
            StoreColumnCodec.decodeAttributes(
                StoreColumnCodec.encode(attributes: [
                    OTLPKeyValue("b", .bytes([1, 0xFF])), OTLPKeyValue("w", .double(2)),
                ]))
                == [OTLPKeyValue("b", .string("01ff")), OTLPKeyValue("w", .double(2))])
        let events = [
            OTLPEvent(timeUnixNano: 5, name: "a", attributes: attributes), OTLPEvent(timeUnixNano: 0, name: ""),
        ]
        #expect(StoreColumnCodec.decodeEvents(StoreColumnCodec.encode(events: events)) == events)
        let links = SpanStoreTests.linkedSpan().links
        #expect(StoreColumnCodec.decodeLinks(StoreColumnCodec.encode(links: links)) == links)
    }
}
