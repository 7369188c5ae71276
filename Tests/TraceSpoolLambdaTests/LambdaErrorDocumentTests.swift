import LambdaRuntimeAPI
import SpoolBase
import Testing

/// The error document of the Runtime and Extensions APIs' error calls.
@Suite struct LambdaErrorDocumentTests {
    @Test func documentHasTheThreeFieldsAndCutsLongMessages() throws {
        let bytes = LambdaErrorDocument.json(errorType: "Extension.ConfigurationError", message: "a \"quoted\" line\n")
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == #"{"errorMessage":"a \"quoted\" line\n","errorType":"Extension.ConfigurationError","stackTrace":[]}"#
        )
        let long = LambdaErrorDocument.json(errorType: "T.R", message: String(repeating: "x", count: 10_000))
        let text = String(decoding: long, as: UTF8.self)
        #expect(text.contains(String(repeating: "x", count: LambdaErrorDocument.maxMessageCharacters) + "\""))
        #expect(!text.contains(String(repeating: "x", count: LambdaErrorDocument.maxMessageCharacters + 1)))
    }
}
