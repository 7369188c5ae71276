import SpoolFormat

// Links a generation to the prompt it was built from. Attribute names: `AttributeNames+Prompt`.
extension SpoolSpan {
    /// Records which prompt this generation used: OpenInference `llm.prompt_template.template` (the template; for a
    /// chat prompt its messages as a JSON array), `llm.prompt_template.version` (string) and
    /// `llm.prompt_template.variables` (the values, a JSON object of strings, keys sorted), and Langfuse
    /// `langfuse.observation.prompt.name` and `langfuse.observation.prompt.version` (int).
    ///
    /// The template is configuration, recorded even when capture is off; the variables are user data and follow the
    /// capture switch (`capturesInputOutput`; off: not written). Template and variables are cut to
    /// `TracerConfiguration.maxInputOutputBytes` UTF-8 bytes with a `…[truncated]` marker, credentials in them
    /// redacted.
    public func setPrompt(_ prompt: CompiledPrompt) {
        guard let storage else { return }
        let limit = storage.core.config.maxInputOutputBytes
        let redactor = storage.core.redactor
        var entries: [SpoolAttribute] = [
            .string(
                AttributeNames.promptTemplate,
                JSONCapture.truncate(prompt.prompt.templateText, limit, redactor: redactor)),
            .string(AttributeNames.promptTemplateVersion, String(prompt.prompt.version)),
            .string(AttributeNames.langfusePromptName, prompt.prompt.name),
            .int(AttributeNames.langfusePromptVersion, prompt.prompt.version),
        ]
        if capturesInputOutput {
            entries.append(
                .string(
                    AttributeNames.promptTemplateVariables,
                    JSONCapture.truncate(JSONCapture.object(prompt.variables), limit, redactor: redactor)))
        }
        storage.set(contentsOf: entries)
    }

    /// `setPrompt(_:)`, then, when the generation was given no input messages, a chat prompt's compiled messages
    /// as its input messages (`setInputMessages(_:)`).
    func setPrompt(_ prompt: CompiledPrompt, messagesGiven: Bool) {
        setPrompt(prompt)
        if !messagesGiven, let messages = prompt.messages { setInputMessages(messages) }
    }
}
