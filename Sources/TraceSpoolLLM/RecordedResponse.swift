/// A response as a recording holds it: its head and its body chunk by chunk, with the boundaries received.
package struct RecordedResponse: Sendable, Equatable {
    /// Status and headers (credentials never recorded).
    package var head: LLMHTTPResponseHead
    /// The body chunks in order.
    package var chunks: [[UInt8]]

    /// A recorded response.
    package init(head: LLMHTTPResponseHead, chunks: [[UInt8]]) {
        self.head = head
        self.chunks = chunks
    }
}
