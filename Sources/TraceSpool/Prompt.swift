/// One version of a prompt of a `PromptLibrary`: its template, configuration and labels, as loaded from the prompt
/// directory. Compile it with the values of its variables to get the text (or messages) to send to the model, and
/// pass the `CompiledPrompt` to `SpoolTracer.withGeneration(…prompt:…)` to link it to the generation (example:
/// `PromptLibrary`).
public struct Prompt: Sendable, Equatable {
    /// The prompt's name: its directory's path under the library's directory (`support/triage`).
    public let name: String
    /// The version number (1 or more): the file `<name>/<version>.txt` or `<name>/<version>.json`.
    public let version: Int
    /// The labels pointing at this version, sorted: those of `<name>/labels.json`, and `latest` on the highest
    /// version.
    public let labels: [String]
    /// The template, with its `{{variable}}` placeholders.
    public let template: PromptContent
    /// The `config` object of a `<version>.json` file as compact JSON text (`{"model":"gpt-4o","temperature":0.2}`),
    /// nil when the file has none.
    public let config: String?
    /// The names of the template's variables, each once, in the order they first appear (in the text, or in the
    /// messages' contents in order).
    public let variables: [String]

    /// The template split into literal text and placeholders: one for a text prompt, one per message for a chat.
    let parts: [PromptTemplate]
    /// `llm.prompt_template.template`: the text, or the chat's messages as a JSON array.
    let templateText: String

    /// A prompt of `template`; its placeholders are found here, once.
    init(name: String, version: Int, labels: [String], template: PromptContent, config: String?) {
        self.name = name
        self.version = version
        self.labels = labels
        self.template = template
        self.config = config
        switch template {
        case .text(let text):
            parts = [PromptTemplate(text)]
            templateText = text
        case .chat(let messages):
            parts = messages.map { PromptTemplate($0.content) }
            templateText = ChatMessage.json(messages)
        }
        var variables: [String] = []
        for part in parts { part.appendVariables(to: &variables) }
        self.variables = variables
    }

    /// Fills the template's placeholders with `values` (one per name in `variables`; other entries are ignored).
    ///
    /// - Throws: `PromptError.missingVariables` naming every variable without a value.
    public func compile(_ values: [String: String] = [:]) throws(PromptError) -> CompiledPrompt {
        let missing = variables.filter { values[$0] == nil }
        guard missing.isEmpty else { throw .missingVariables(name: name, version: version, missing: missing) }
        var used: [String: String] = [:]
        for variable in variables { used[variable] = values[variable] }
        let content: PromptContent
        switch template {
        case .text: content = .text(parts[0].render(used))
        case .chat(let messages):
            content = .chat(
                zip(messages, parts).map { message, part in
                    var compiled = message
                    compiled.content = part.render(used)
                    return compiled
                })
        }
        return CompiledPrompt(prompt: self, content: content, variables: used)
    }
}
