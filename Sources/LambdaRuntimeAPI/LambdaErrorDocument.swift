import SpoolBase

/// The error document the Runtime and Extensions APIs take on their error calls (`/runtime/init/error`,
/// `/runtime/invocation/<id>/error`, `/extension/init/error`, `/extension/exit/error`):
/// `{"errorMessage": ..., "errorType": ..., "stackTrace": []}`
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html, "Invocation error").
package enum LambdaErrorDocument {
    /// The longest message sent, characters; a longer one is cut.
    package static let maxMessageCharacters = 4096

    /// The JSON bytes of the document for `errorType` (`Category.Reason`) and `message`.
    package static func json(errorType: String, message: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("errorMessage")
        writer.string(String(message.prefix(maxMessageCharacters)))
        writer.key("errorType")
        writer.string(errorType)
        writer.key("stackTrace")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}
