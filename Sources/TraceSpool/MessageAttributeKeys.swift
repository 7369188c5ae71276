import SpoolFormat

/// The attribute keys of a generation's messages and tools (`llm.input_messages.<i>.message.role`...), built once
/// for the first `tableSize` indices: a key then costs a table lookup instead of a string interpolation and its
/// allocation per attribute. Keys of larger indices are built on demand.
struct MessageAttributeKeys: Sendable {
    /// How many message indices have their keys built ahead.
    static let tableSize = 32

    /// The keys of `llm.input_messages`.
    static let input = MessageAttributeKeys(prefix: AttributeNames.inputMessages)
    /// The keys of `llm.output_messages`.
    static let output = MessageAttributeKeys(prefix: AttributeNames.outputMessages)
    /// `llm.tools.<i>.tool.json_schema` for the first `tableSize` tools.
    static let toolSchemas: [String] = (0..<tableSize).map(toolSchemaKey)

    let prefix: String
    private let roles: [String]
    private let contents: [String]
    private let toolCallIDs: [String]
    private let toolCallPrefixes: [String]

    init(prefix: String) {
        self.prefix = prefix
        roles = (0..<Self.tableSize).map { Self.messageKey(prefix, $0, AttributeNames.messageRole) }
        contents = (0..<Self.tableSize).map { Self.messageKey(prefix, $0, AttributeNames.messageContent) }
        toolCallIDs = (0..<Self.tableSize).map { Self.messageKey(prefix, $0, AttributeNames.messageToolCallID) }
        toolCallPrefixes = (0..<Self.tableSize).map {
            Self.messageKey(prefix, $0, AttributeNames.messageToolCalls) + "."
        }
    }

    /// `<prefix>.<i>.message.role`.
    func role(_ i: Int) -> String {
        i < Self.tableSize ? roles[i] : Self.messageKey(prefix, i, AttributeNames.messageRole)
    }

    /// `<prefix>.<i>.message.content`.
    func content(_ i: Int) -> String {
        i < Self.tableSize ? contents[i] : Self.messageKey(prefix, i, AttributeNames.messageContent)
    }

    /// `<prefix>.<i>.message.tool_call_id`.
    func toolCallID(_ i: Int) -> String {
        i < Self.tableSize ? toolCallIDs[i] : Self.messageKey(prefix, i, AttributeNames.messageToolCallID)
    }

    /// `<prefix>.<i>.message.tool_calls.<j>.<suffix>` (`suffix` e.g. `AttributeNames.toolCallID`).
    func toolCall(_ i: Int, _ j: Int, _ suffix: String) -> String {
        var key =
            i < Self.tableSize ? toolCallPrefixes[i] : Self.messageKey(prefix, i, AttributeNames.messageToolCalls) + "."
        key += String(j)
        key += "."
        key += suffix
        return key
    }

    /// `llm.tools.<i>.tool.json_schema`.
    static func toolSchema(_ i: Int) -> String {
        i < tableSize ? toolSchemas[i] : toolSchemaKey(i)
    }

    private static func toolSchemaKey(_ i: Int) -> String {
        messageKey(AttributeNames.tools, i, AttributeNames.toolJSONSchema)
    }

    /// `<prefix>.<i>.<suffix>`.
    private static func messageKey(_ prefix: String, _ i: Int, _ suffix: String) -> String {
        prefix + "." + String(i) + "." + suffix
    }
}
