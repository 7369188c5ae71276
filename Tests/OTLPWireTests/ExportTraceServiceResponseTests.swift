import OTLPWire
import Testing

@Suite("ExportTraceServiceResponse")
struct ExportTraceServiceResponseTests {
    @Test func emptyBodyIsFullSuccess() throws {
        let response = try ExportTraceServiceResponse(decoding: [UInt8]())
        #expect(response.rejectedSpans == 0)
        #expect(response.errorMessage == "")
        #expect(response.isFullSuccess)
    }

    @Test func partialSuccess() throws {
        // Python: ExportTraceServiceResponse(partial_success=ExportTracePartialSuccess(
        //     rejected_spans=3, error_message="too big")).SerializeToString().hex()
        let bytes = hex("0a0b08031207746f6f20626967")
        let response = try ExportTraceServiceResponse(decoding: bytes)
        #expect(response.rejectedSpans == 3)
        #expect(response.errorMessage == "too big")
        #expect(!response.isFullSuccess)
        #expect(response.serialized() == bytes)
    }

    @Test func emptyPartialSuccessAndUnknownFields() throws {
        let response = try ExportTraceServiceResponse(decoding: [0x0A, 0x00, 0x10, 0x01])
        #expect(response.isFullSuccess)
        #expect(ExportTraceServiceResponse().serialized().isEmpty)
    }

    @Test func malformedBodyThrows() {
        #expect(throws: OTLPDecodingError.self) { try ExportTraceServiceResponse(decoding: [0x0A, 0x05, 0x08]) }
    }
}
