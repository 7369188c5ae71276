extension ChatMessage {
    /// Whether one of the message's strings (role, content, tool call id, and each tool call's id, name and
    /// arguments) holds a credential `redactor` replaces.
    func holdsCredential(_ redactor: Redactor) -> Bool {
        if redactor.holdsCredential(content) || redactor.holdsCredential(role) { return true }
        if let toolCallID, redactor.holdsCredential(toolCallID) { return true }
        return toolCalls.contains {
            redactor.holdsCredential($0.arguments) || redactor.holdsCredential($0.id)
                || redactor.holdsCredential($0.name)
        }
    }

    /// The message with each of its strings redacted by `redactor` (`Redactor.redact(_:deferLog:)`).
    func redacted(by redactor: Redactor) -> ChatMessage {
        ChatMessage(
            role: redactor.redact(role), content: redactor.redact(content),
            toolCallID: toolCallID.map { redactor.redact($0) },
            toolCalls: toolCalls.map {
                ToolCall(
                    id: redactor.redact($0.id), name: redactor.redact($0.name), arguments: redactor.redact($0.arguments)
                )
            })
    }
}
