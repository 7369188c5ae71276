import OTLPWire
import Testing

@Suite("ExportTraceRequestBuilder")
struct ExportTraceRequestBuilderTests {
    @Test func spanRecordSize() {
        #expect(ExportTraceRequestBuilder.spanRecordSize(encodedSpanLength: 0) == 2)
        #expect(ExportTraceRequestBuilder.spanRecordSize(encodedSpanLength: 127) == 129)
        #expect(ExportTraceRequestBuilder.spanRecordSize(encodedSpanLength: 128) == 131)
        #expect(ExportTraceRequestBuilder.spanRecordSize(encodedSpanLength: 16384) == 16388)
    }

    @Test(
        "byte-based groups equal value-based groups and sizes are exact",
        arguments: [0, 1, 3, 40, 300])
    func exactSizes(spanCount: Int) throws {
        let resource = OTLPResource(attributes: [OTLPKeyValue("service.name", .string("svc"))])
        let scope = OTLPInstrumentationScope(name: "TraceSpool", version: "1")
        var spans: [OTLPSpan] = []
        for i in 0..<spanCount {
            var span = Fixtures.goldenSpan
            span.name = String(repeating: "n", count: i * 7)
            spans.append(span)
        }
        let encodedSpans = spans.map { $0.serialized() }
        for (resourceURL, scopeURL) in [("", ""), ("https://r", "https://s/" + String(repeating: "x", count: 200))] {
            var fromBytes = ExportTraceRequestBuilder(capacity: 0)
            fromBytes.addGroup(
                resource: resource.serialized(), scope: scope.serialized(), spans: encodedSpans,
                resourceSchemaURL: resourceURL, scopeSchemaURL: scopeURL)
            var fromValues = ExportTraceRequestBuilder()
            fromValues.addGroup(
                resource: resource, scope: scope, spans: spans,
                resourceSchemaURL: resourceURL, scopeSchemaURL: scopeURL)
            #expect(fromBytes.bytes == fromValues.bytes)

            let recordsSize = encodedSpans.reduce(0) {
                $0 + ExportTraceRequestBuilder.spanRecordSize(encodedSpanLength: $1.count)
            }
            let groupSize = ExportTraceRequestBuilder.groupSize(
                resourceLength: resource.serialized().count, scopeLength: scope.serialized().count,
                spanRecordsSize: recordsSize,
                resourceSchemaURLLength: resourceURL.utf8.count, scopeSchemaURLLength: scopeURL.utf8.count)
            #expect(fromBytes.count == groupSize)
            let overhead = ExportTraceRequestBuilder.groupOverhead(
                resourceLength: resource.serialized().count, scopeLength: scope.serialized().count,
                spanRecordsSize: recordsSize,
                resourceSchemaURLLength: resourceURL.utf8.count, scopeSchemaURLLength: scopeURL.utf8.count)
            #expect(overhead == groupSize - recordsSize)

            // A second group adds exactly its own size.
            fromBytes.addGroup(resource: [UInt8](), scope: [UInt8](), spans: encodedSpans.prefix(1))
            let second = ExportTraceRequestBuilder.groupSize(
                resourceLength: 0, scopeLength: 0,
                spanRecordsSize: encodedSpans.prefix(1).reduce(0) {
                    $0 + ExportTraceRequestBuilder.spanRecordSize(encodedSpanLength: $1.count)
                })
            #expect(fromBytes.count == groupSize + second)
        }
    }

    @Test func sliceInputsAndReset() {
        let span = Fixtures.goldenSpan.serialized()
        var builder = ExportTraceRequestBuilder()
        builder.addGroup(resource: [UInt8]()[...], scope: [UInt8]()[...], spans: [span[...]])
        let first = builder.bytes
        builder.reset()
        #expect(builder.count == 0)
        builder.addGroup(resource: [UInt8](), scope: [UInt8](), spans: [span])
        #expect(builder.bytes == first)
        // resource_spans{ resource{} scope_spans{ scope{} spans{...} } }: the outer length is a
        // 2-byte varint, then `0a 00` (empty resource) follows.
        let outerLength = first.count - 3
        #expect(
            Array(first.prefix(5)) == [0x0A, UInt8(outerLength & 0x7F) | 0x80, UInt8(outerLength >> 7), 0x0A, 0x00])
    }
}
