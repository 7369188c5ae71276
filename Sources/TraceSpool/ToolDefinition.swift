import SpoolBase

/// A tool (function) offered to the model in a generation's request, recorded as OpenInference
/// `llm.tools.<i>.tool.json_schema` (see `SpoolSpan.setTools(_:)`).
///
/// Either built from its parts (`init(name:description:parameters:)`; `json` is OpenAI's function tool form) or
/// the provider's own definition JSON recorded as given (`init(name:json:)`, e.g. Anthropic's
/// `{"name":…,"description":…,"input_schema":{…}}`).
public struct ToolDefinition: Sendable, Equatable {
    /// The tool's (function's) name.
    public var name: String
    /// What the tool does, as told to the model.
    public var description: String?
    /// The JSON Schema of the arguments, JSON text.
    public var parameters: String?
    /// The provider's definition JSON given to `init(name:json:)`; nil when built from its parts.
    private var providedJSON: String?

    /// A tool built from its parts.
    public init(name: String, description: String? = nil, parameters: String? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    /// A tool whose definition is the provider's own JSON `json`, recorded as is (not validated); `name` names it.
    public init(name: String, json: String) {
        self.name = name
        self.providedJSON = json
    }

    /// What `llm.tools.<i>.tool.json_schema` holds: the JSON given to `init(name:json:)`, else
    /// `{"type":"function","function":{"name":…,"description":…,"parameters":{…}}}` (description and parameters
    /// when set; `parameters` inserted as it is when it is valid JSON, else as a JSON string).
    public var json: String {
        if let providedJSON { return providedJSON }
        var writer = JSONWriter(
            capacity: 64 + name.utf8.count + (description?.utf8.count ?? 0)
                + (parameters?.utf8.count ?? 0))
        writer.beginObject()
        writer.key("type")
        writer.string("function")
        writer.key("function")
        writer.beginObject()
        writer.key("name")
        writer.string(name)
        if let description {
            writer.key("description")
            writer.string(description)
        }
        if let parameters {
            writer.key("parameters")
            if (try? JSONReader.parse(parameters)) != nil {
                // The last member: the closing braces need no comma state.
                writer.bytes.append(contentsOf: parameters.utf8)
            } else {
                writer.string(parameters)
            }
        }
        writer.endObject()
        writer.endObject()
        return writer.text
    }
}
