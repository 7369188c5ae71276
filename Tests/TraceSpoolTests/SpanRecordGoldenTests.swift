import Foundation
import OTLPWire
import SpoolFormat
import Testing
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// The exact records the encoder writes for spans of every shape (typed and untyped, fast and general path, type
    /// keys in the typed list and in the dictionary), fixed here so that a change to the encoder's structure cannot
    /// change a byte of its output unnoticed. Set `TRACESPOOL_PRINT_GOLDEN=1` to print the records.
    @Suite("Span record golden bytes")
    struct SpanRecordGoldenTests {
        /// One span: a name for the failure message, how to build it, its dictionary (at most one entry, so that the
        /// bytes do not depend on the dictionary's hash order) and the record expected, in hex.
        struct Case: Sendable, CustomTestStringConvertible {
            var name: String
            var expected: String
            var testDescription: String { name }
        }

        static func build(_ name: String, _ h: EncoderHarness) -> (SpanStorage, SpanAttributes?) {
            let kind = AttributeNames.openInferenceKind
            let typeKey = AttributeNames.spanType
            switch name {
            case "untyped list":
                return (
                    h.span(
                        "chat",
                        attributes: [
                            .string("model", "gpt"), .int("tokens", 300), .double("t", 0.5), .bool("hit", true),
                        ]),
                    nil
                )
            case "untyped shadowed and dictionary":
                let s = h.span("op", attributes: [.string("a", "1"), .string("b", "2"), .string("a", "3")])
                var d = SpanAttributes()
                d["b"] = "from dictionary, overridden by the list"
                return (s, d)
            case "untyped dictionary only":
                var d = SpanAttributes()
                d["user"] = "u1"
                return (h.span("std", parent: false, kind: .server), d)
            case "generation with type key in list, kind in dictionary":
                let s = h.span("gen", type: .generation, attributes: [.string(typeKey, "tool"), .int("n", 1)])
                var d = SpanAttributes()
                d[kind] = "EMBEDDING"
                return (s, d)
            case "event with kind in list":
                return (
                    h.span(
                        "score", type: .event,
                        attributes: [.string("activity", "score"), .string(kind, "EVALUATOR"), .double("v", 1)]),
                    nil
                )
            case "tool with type key in dictionary":
                var d = SpanAttributes()
                d[typeKey] = "agent"
                return (h.span("tool", type: .tool, attributes: [.bool("ok", false)]), d)
            case "retrieval general path (status)":
                let s = h.span("ret", type: .retrieval, attributes: [.string("q", "x")])
                s.state.withLock { st in
                    st.statusCode = 2
                    st.extrasForUpdate.statusMessage = "failed"
                }
                var d = SpanAttributes()
                d[kind] = "RERANKER"
                return (s, d)
            case "chain over the count limit":
                let attributes = (0..<6).map { SpoolAttribute.int("k\($0)", $0) }
                let s = h.span("limited", type: .chain, attributes: attributes)
                var d = SpanAttributes()
                d["extra"] = 7
                return (s, d)
            case "long name and long value":
                let s = h.span(
                    String(repeating: "n", count: 120),
                    attributes: [
                        .string("long", String(repeating: "v", count: 140)),
                        SpoolAttribute("arr", .stringArray(["a", "b"])),
                    ])
                return (s, nil)
            case "events and links":
                let s = h.span("el", type: .agent, attributes: [.int("i", -1)])
                s.state.withLock { st in
                    st.extrasForUpdate.events.append(
                        SpanEvent(name: "e", at: FixedInstant(nanos: 42), attributes: ["ek": "ev"]))
                    var linked = InstrumentationContext.topLevel
                    linked.spoolSpanContext = SpoolSpanContext(
                        traceID: TraceID(high: 9, low: 10), spanID: SpanID(11), traceFlags: 1, traceState: "k=v")
                    st.extrasForUpdate.links.append(SpanLink(context: linked, attributes: ["lk": 2]))
                }
                return (s, nil)
            default:
                fatalError("unknown case \(name)")
            }
        }

        static let cases: [Case] = [
            Case(
                name: "untyped list",
                expected:
                    "0180010a1000000000000001020000000000000304220800000000000005062a046368617430038501010100004a0e0a"
                    + "056d6f64656c12050a036770744a0d0a06746f6b656e73120318ac024a0e0a0174120921000000000000e03f4a090a03"
                    + "68697412021001120800000000000007083900002a36fe9c97174115cd853dfe9c9717"
            ),
            Case(
                name: "untyped shadowed and dictionary",
                expected:
                    "01580a1000000000000001020000000000000304220800000000000005062a026f7030038501010100004a080a016212"
                    + "030a01324a080a016112030a0133120800000000000007083900002a36fe9c97174115cd853dfe9c9717"
            ),
            Case(
                name: "untyped dictionary only",
                expected:
                    "01490a10000000000000010200000000000003042a0373746430028501010100004a0c0a047573657212040a02753112"
                    + "0800000000000007083900002a36fe9c97174115cd853dfe9c9717"
            ),
            Case(
                name: "generation with type key in list, kind in dictionary",
                expected:
                    "019c010a1000000000000001020000000000000304220800000000000005062a0367656e30038501010100004a240a14"
                    + "747261636573706f6f6c2e7370616e2e74797065120c0a0a67656e65726174696f6e4a260a176f70656e696e66657265"
                    + "6e63652e7370616e2e6b696e64120b0a09454d42454444494e474a070a016e1202180112080000000000000708390000"
                    + "2a36fe9c97174115cd853dfe9c9717"
            ),
            Case(
                name: "event with kind in list",
                expected:
                    "01b5010a1000000000000001020000000000000304220800000000000005062a0573636f726530038501010100004a1f"
                    + "0a14747261636573706f6f6c2e7370616e2e7479706512070a056576656e744a130a08616374697669747912070a0573"
                    + "636f72654a260a176f70656e696e666572656e63652e7370616e2e6b696e64120b0a094556414c5541544f524a0e0a01"
                    + "76120921000000000000f03f120800000000000007083900002a36fe9c97174115cd853dfe9c9717"
            ),
            Case(
                name: "tool with type key in dictionary",
                expected:
                    "0193010a1000000000000001020000000000000304220800000000000005062a04746f6f6c30038501010100004a1e0a"
                    + "14747261636573706f6f6c2e7370616e2e7479706512060a04746f6f6c4a210a176f70656e696e666572656e63652e73"
                    + "70616e2e6b696e6412060a04544f4f4c4a080a026f6b12021000120800000000000007083900002a36fe9c97174115cd"
                    + "853dfe9c9717"
            ),
            Case(
                name: "retrieval general path (status)",
                expected:
                    "01a7010a1000000000000001020000000000000304220800000000000005062a0372657430038501010100004a230a14"
                    + "747261636573706f6f6c2e7370616e2e74797065120b0a0972657472696576616c4a250a176f70656e696e666572656e"
                    + "63652e7370616e2e6b696e64120a0a08524552414e4b45524a080a017112030a01787a0a12066661696c656418021208"
                    + "00000000000007083900002a36fe9c97174115cd853dfe9c9717"
            ),
            Case(
                name: "chain over the count limit",
                expected:
                    "01c2010a1000000000000001020000000000000304220800000000000005062a076c696d697465643003850101010000"
                    + "4a1f0a14747261636573706f6f6c2e7370616e2e7479706512070a05636861696e4a220a176f70656e696e666572656e"
                    + "63652e7370616e2e6b696e6412070a05434841494e4a080a026b30120218004a080a026b31120218014a080a026b3212"
                    + "0218024a080a026b33120218034a080a026b34120218045002120800000000000007083900002a36fe9c97174115cd85"
                    + "3dfe9c9717"
            ),
            Case(
                name: "long name and long value",
                expected:
                    "01de020a1000000000000001020000000000000304220800000000000005062a786e6e6e6e6e6e6e6e6e6e6e6e6e6e6e"
                    + "6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e"
                    + "6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e"
                    + "6e6e6e6e6e6e6e6e6e30038501010100004a8c010a046c6f6e671283010a800176767676767676767676767676767676"
                    + "767676767676767676767676767676767676767676767676767676767676767676767676767676767676767676767676"
                    + "767676767676767676767676767676767676767676767676767676767676767676767676767676767676767676767676"
                    + "767676767676767676767676767676764a130a03617272120c2a0a0a030a01610a030a01621208000000000000070839"
                    + "00002a36fe9c97174115cd853dfe9c9717"
            ),
            Case(
                name: "events and links",
                expected:
                    "01e7010a1000000000000001020000000000000304220800000000000005062a02656c30038501010100004a1f0a1474"
                    + "7261636573706f6f6c2e7370616e2e7479706512070a056167656e744a220a176f70656e696e666572656e63652e7370"
                    + "616e2e6b696e6412070a054147454e544a100a0169120b18ffffffffffffffffff015a18092a00000000000000120165"
                    + "1a0a0a02656b12040a0265766a300a100000000000000009000000000000000a1208000000000000000b1a036b3d7622"
                    + "080a026c6b120218023501010000120800000000000007083900002a36fe9c97174115cd853dfe9c9717"
            ),
        ]

        @Test("each record is byte for byte the one fixed here", arguments: cases)
        func golden(_ c: Case) throws {
            let h = EncoderHarness {
                $0.attributeCountLimit = 5
                $0.attributeValueLengthLimit = 128
            }
            let (storage, dictionary) = Self.build(c.name, h)
            let record = h.record(storage, dictionary: dictionary)
            if ProcessInfo.processInfo.environment["TRACESPOOL_PRINT_GOLDEN"] == "1" {
                print("GOLDEN \(c.name): \(record.hex)")
            }
            #expect(record.hex == c.expected)
            let body = try #require(EncoderHarness.body(ofRecord: record))
            #expect(try isCanonicalUpToFieldOrder(body))
        }
    }
}

/// A `TracerInstant` at a fixed time.
struct FixedInstant: TracerInstant {
    var nanos: UInt64
    var nanosecondsSinceEpoch: UInt64 { nanos }
    static func < (lhs: FixedInstant, rhs: FixedInstant) -> Bool { lhs.nanos < rhs.nanos }
}
