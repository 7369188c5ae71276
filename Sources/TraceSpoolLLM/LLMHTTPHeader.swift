/// One HTTP header field, as sent or received (names compare without regard to ASCII case).
package struct LLMHTTPHeader: Sendable, Equatable {
    /// The field name as the client spelled it.
    package var name: String
    /// The field value.
    package var value: String

    /// A header field.
    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
