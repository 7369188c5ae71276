import SpoolBase

/// The demo's `get_weather` tool: a deterministic fake weather report (no network), so runs and recordings repeat.
enum DemoWeather {
    /// The tool's name.
    static let name = "get_weather"
    /// The tool's description, as offered to the model.
    static let description = "Current weather in a city"
    /// The JSON Schema of its arguments.
    static let parameters: JSONValue = .object([
        JSONMember("type", .string("object")),
        JSONMember("properties", .object([JSONMember("city", .object([JSONMember("type", .string("string"))]))])),
        JSONMember("required", .array([.string("city")])),
    ])

    /// The report for `city`, as JSON text: `{"city":"Paris","temperature_c":18,"conditions":"sunny"}`.
    static func report(city: String) -> String {
        let known: [String: (Int, String)] = [
            "paris": (18, "sunny"), "london": (12, "rainy"), "tokyo": (22, "cloudy"), "new york": (15, "windy"),
        ]
        let (temperature, conditions) =
            known[city.lowercased()] ?? (5 + city.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 25 }, "clear")
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("city")
        writer.string(city)
        writer.key("temperature_c")
        writer.number(temperature)
        writer.key("conditions")
        writer.string(conditions)
        writer.endObject()
        return writer.text
    }

    /// The city in the model's arguments (`{"city": …}`); nil when they are not such an object.
    static func city(arguments: String) -> String? {
        guard let json = try? JSONReader.parse(arguments), case .string(let city) = json.member("city") else {
            return nil
        }
        return city
    }
}
