import SpoolBase

/// The model the fake provider plays, the same for every route: enough of an agent for `tracespool-llm-demo`.
///
/// - tools offered, one of them `get_weather`, and no tool result in the conversation yet → a `get_weather` call
///   with arguments `{"city": C}`, C from the last user message (the words after its last " in ", up to the
///   punctuation; default `Paris`);
/// - a tool result in the conversation → the final answer built from it: for `{"city":…,"temperature_c":…,
///   "conditions":…}` "It is 18 °C and sunny in Paris.", for any other text "The tool returned: <text>";
/// - otherwise → "Fake answer to: <last user message>".
enum FakeWeatherAgent {
    /// The model's turn.
    enum Turn: Equatable {
        /// Call `get_weather` with these JSON arguments.
        case callWeather(arguments: String)
        /// Answer with this text.
        case answer(String)
    }

    /// The name of the tool the agent calls.
    static let toolName = "get_weather"

    /// The turn for a conversation whose last user text is `question`, offering `tools` (names), with the latest
    /// tool result `toolResult` (nil when none).
    static func turn(question: String?, tools: [String], toolResult: String?) -> Turn {
        if let toolResult { return .answer(answer(fromToolResult: toolResult)) }
        if tools.contains(toolName) {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("city")
            writer.string(city(in: question ?? ""))
            writer.endObject()
            return .callWeather(arguments: writer.text)
        }
        return .answer("Fake answer to: \(question ?? "")")
    }

    /// The city a question asks about: the words after its last " in " up to `?`, `.`, `!` or `,`; `Paris` when none.
    static func city(in question: String) -> String {
        let bytes = Array(question.utf8)
        let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let marker = Array(" in ".utf8)
        guard bytes.count >= marker.count,
            let start = stride(from: bytes.count - marker.count, through: 0, by: -1).first(where: {
                Array(lower[$0..<($0 + marker.count)]) == marker
            })
        else { return "Paris" }
        let stops: [UInt8] = [UInt8(ascii: "?"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: ",")]
        let tail = bytes[(start + marker.count)...]
        let end = tail.firstIndex { stops.contains($0) } ?? tail.endIndex
        let city = String(decoding: tail[..<end], as: UTF8.self).trimmingSpaces
        return city.isEmpty ? "Paris" : city
    }

    /// The final answer for a tool result.
    static func answer(fromToolResult result: String) -> String {
        guard let json = try? JSONReader.parse(result),
            case .string(let city) = json.member("city"),
            case .number(let temperature) = json.member("temperature_c"),
            case .string(let conditions) = json.member("conditions")
        else { return "The tool returned: \(result)" }
        return "It is \(temperature) °C and \(conditions) in \(city)."
    }
}
