import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("W3C Baggage")
    struct BaggageTests {
        // MARK: Parsing (the W3C cases)

        @Test("parses members, ignoring blanks around members, keys and values")
        func parsesWithWhitespace() {
            let baggage = Baggage(header: " key1 = value1 ,\tkey2\t=\tvalue2, ,key3=")
            #expect(baggage.entries.map(\.key) == ["key1", "key2", "key3"])
            #expect(baggage["key1"] == "value1")
            #expect(baggage["key2"] == "value2")
            #expect(baggage["key3"] == "")
        }

        @Test("properties are kept in order, with and without values")
        func parsesProperties() throws {
            let baggage = Baggage(header: "key1=value1;property1;property2=p2 , key2 = value2 ; p3 = v3")
            #expect(baggage["key1"] == "value1")
            let first = try #require(baggage.entries.first)
            #expect(
                first.properties == [
                    Baggage.Property(key: "property1"), Baggage.Property(key: "property2", value: "p2"),
                ])
            #expect(baggage.entries.last?.properties == [Baggage.Property(key: "p3", value: "v3")])
            #expect(baggage.headerValue == "key1=value1;property1;property2=p2,key2=value2;p3=v3")
        }

        @Test("values are percent-decoded; bad escapes stay, bytes that are not UTF-8 become U+FFFD")
        func percentDecoding() {
            let baggage = Baggage(header: "a=value%201%2C2,b=%E2%9C%93,c=100%25,d=%zz%4,e=%FF")
            #expect(baggage["a"] == "value 1,2")
            #expect(baggage["b"] == "✓")
            #expect(baggage["c"] == "100%")
            #expect(baggage["d"] == "%zz%4")
            #expect(baggage["e"] == "\u{FFFD}")
        }

        @Test("malformed members are skipped and the others kept")
        func skipsMalformedMembers() {
            let header =
                #"novalue,=empty,key 2=v,k3=va lue,k4=v"q,k5=a\b,k6=v;bad prop=x,k7=v;=x,good=1,é=2,k8=v;p=a b"#
            let baggage = Baggage(header: header)
            #expect(baggage.entries.map(\.key) == ["good"])
            #expect(Baggage(header: "").isEmpty)
            #expect(Baggage(header: ",,,;;;===").isEmpty)
            #expect(Baggage(header: String(repeating: "%", count: 10_000)).isEmpty)
        }

        @Test("a key seen again replaces the earlier value in place")
        func duplicateKeys() {
            let baggage = Baggage(header: "a=1,b=2,a=3")
            #expect(baggage.entries.map(\.key) == ["a", "b"])
            #expect(baggage["a"] == "3")
        }

        @Test("limits: at most 180 entries and 8192 bytes of members, the rest skipped")
        func limits() {
            let many = (0..<200).map { "k\($0)=v" }.joined(separator: ",")
            let parsed = Baggage(header: many)
            #expect(parsed.count == Baggage.maxEntries)
            #expect(parsed["k179"] == "v")
            #expect(parsed["k180"] == nil)
            // A member larger than the limit is skipped; those around it are kept.
            let huge = "big=" + String(repeating: "x", count: 9000)
            let withHuge = Baggage(header: "a=1,\(huge),b=2")
            #expect(withHuge.entries.map(\.key) == ["a", "b"])
            // Members fill the byte budget, and the one that would pass it is skipped.
            let chunk = String(repeating: "y", count: 4000)
            let full = Baggage(header: "a=\(chunk),b=\(chunk),c=\(chunk)")
            #expect(full.entries.map(\.key) == ["a", "b"])
            // Formatting respects the same limits.
            var big = Baggage()
            for i in 0..<200 { big["k\(i)"] = "v" }
            #expect(Baggage(header: big.headerValue).count == Baggage.maxEntries)
            var wide = Baggage()
            for key in ["a", "b", "c"] { wide[key] = chunk }
            #expect(wide.headerValue.utf8.count <= Baggage.maxHeaderBytes)
            #expect(Baggage(header: wide.headerValue).entries.map(\.key) == ["a", "b"])
        }

        @Test("formatting percent-encodes what is not a baggage octet and leaves out keys that are not tokens")
        func formatting() {
            var baggage = Baggage()
            baggage["user.id"] = "u 1"
            baggage["list"] = "a,b;c=\"d\"\\%"
            baggage["name"] = "Zoë ✓"
            baggage["bad key"] = "dropped"
            baggage.set(
                "p", "1", properties: [Baggage.Property(key: "ok"), Baggage.Property(key: "bad", value: "a b")])
            #expect(
                baggage.headerValue == "user.id=u%201,list=a%2Cb%3Bc=%22d%22%5C%25,name=Zo%C3%AB%20%E2%9C%93,p=1;ok")
            let back = Baggage(header: baggage.headerValue)
            for key in ["user.id", "list", "name"] { #expect(back[key] == baggage[key], "\(key)") }
            #expect(back["bad key"] == nil)
        }

        // MARK: Propagation

        @Test("inject writes the context's baggage as the header and extract reads it back")
        func injectExtractRoundTrip() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                var headers: [String: String] = [:]
                let span = withBaggage(["user.id": "u 1", "tenant": "acme"]) {
                    #expect(Baggage.current["tenant"] == "acme")
                    let span = tracer.startSpan("outgoing")
                    tracer.inject(span.context, into: &headers, using: DictionaryInjector())
                    return span
                }
                span.end()
                #expect(Baggage.current.isEmpty)
                #expect(headers["baggage"] == "tenant=acme,user.id=u%201")
                #expect(headers["traceparent"] != nil)
                var extracted = InstrumentationContext.topLevel
                tracer.extract(headers, into: &extracted, using: HeaderExtractor())
                #expect(extracted.baggage?.dictionary == ["user.id": "u 1", "tenant": "acme"])
                #expect(extracted.spoolSpanContext?.traceID == span.traceID)
                // Baggage alone (no span) is injected too; an empty baggage writes no header.
                var alone: [String: String] = [:]
                withBaggage(["k": "v"]) {
                    tracer.inject(InstrumentationContext.current!, into: &alone, using: DictionaryInjector())
                }
                #expect(alone == ["baggage": "k=v"])
                var none: [String: String] = [:]
                tracer.inject(InstrumentationContext.topLevel, into: &none, using: DictionaryInjector())
                #expect(none.isEmpty)
                // A header of malformed members leaves the context without baggage.
                var bad = InstrumentationContext.topLevel
                tracer.extract(["baggage": "garbage,=x"], into: &bad, using: HeaderExtractor())
                #expect(bad.baggage == nil)
                tracer.shutdown()
            }
        }

        @Test("withBaggage layers entries over the enclosing baggage, also for child tasks")
        func withBaggageNests() async {
            await withBaggage(["a": "1", "b": "1"]) {
                await withBaggage(["b": "2"]) {
                    let seen = await Task { Baggage.current.dictionary }.value
                    #expect(seen == ["a": "1", "b": "2"])
                }
                #expect(Baggage.current.dictionary == ["a": "1", "b": "1"])
            }
            #expect(Baggage.current.isEmpty)
        }

        // MARK: Copying onto spans

        @Test("only the configured keys are copied onto spans, under the configured prefix")
        func copiesConfiguredKeys() throws {
            try withTemporarySpool { spool in
                let keyed = spool.makeQuietTracer { $0.baggageAttributes = BaggageAttributes(keys: ["tenant"]) }
                let all = spool.makeQuietTracer { $0.baggageAttributes = .all(prefix: "baggage.") }
                let off = spool.makeQuietTracer()
                withBaggage(["tenant": "acme", "secret": "s"]) {
                    keyed.withSpan(.custom, "keyed") { _ in
                        // A child inherits the baggage through its parent's context.
                        keyed.startSpan("keyed-child").end()
                    }
                    all.withSpan(.custom, "all") { _ in }
                    off.withSpan(.custom, "off") { _ in }
                }
                keyed.withSpan(.custom, "keyed-without-baggage") { _ in }
                // Baggage extracted from a request reaches the spans started under it.
                var incoming = InstrumentationContext.topLevel
                keyed.extract(["baggage": "tenant=remote"], into: &incoming, using: HeaderExtractor())
                keyed.startSpan("server", context: incoming).end()
                for tracer in [keyed, all, off] { tracer.shutdown() }
                let spans = try SpoolContents(reading: spool.path)
                func attributes(_ name: String) throws -> SpanAttributes {
                    try #require(spans.spans(named: name).first).attributes
                }
                #expect(try attributes("keyed").get("tenant") == "acme")
                #expect(try attributes("keyed").get("secret") == nil)
                #expect(try attributes("keyed-child").get("tenant") == "acme")
                #expect(try attributes("all").get("baggage.tenant") == "acme")
                #expect(try attributes("all").get("baggage.secret") == "s")
                #expect(try attributes("all").get("tenant") == nil)
                #expect(try attributes("off").get("tenant") == nil)
                #expect(try attributes("off").get("baggage.tenant") == nil)
                #expect(try attributes("keyed-without-baggage").get("tenant") == nil)
                #expect(try attributes("server").get("tenant") == "remote")
            }
        }

        @Test("TRACESPOOL_BAGGAGE_ATTRIBUTES and _PREFIX configure the copy; unset copies nothing")
        func environment() {
            #expect(TracerConfiguration.fromEnvironment([:]).baggageAttributes == .none)
            let keys = TracerConfiguration.fromEnvironment([
                "TRACESPOOL_BAGGAGE_ATTRIBUTES": " tenant , user.id,,", "TRACESPOOL_BAGGAGE_ATTRIBUTE_PREFIX": "bg.",
            ])
            #expect(keys.baggageAttributes == BaggageAttributes(keys: ["tenant", "user.id"], prefix: "bg."))
            #expect(keys.warnings.isEmpty)
            let star = TracerConfiguration.fromEnvironment(["TRACESPOOL_BAGGAGE_ATTRIBUTES": "*"])
            #expect(star.baggageAttributes == .all())
        }
    }
}
