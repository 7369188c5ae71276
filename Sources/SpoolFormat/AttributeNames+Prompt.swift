// The keys that link a generation to the prompt it was built from (`SpoolSpan.setPrompt(_:)`).
extension AttributeNames {
    /// `llm.prompt_template.template` (OpenInference): the prompt's template before its variables are filled in;
    /// for a chat prompt, its messages as a JSON array of `{"content":…,"role":…}` objects.
    @inlinable public static var promptTemplate: String { "llm.prompt_template.template" }
    /// `llm.prompt_template.variables` (OpenInference): the values the template was filled in with, as a JSON object
    /// of strings, keys sorted.
    @inlinable public static var promptTemplateVariables: String { "llm.prompt_template.variables" }
    /// `llm.prompt_template.version` (OpenInference): the prompt's version number, as a string (`"3"`).
    @inlinable public static var promptTemplateVersion: String { "llm.prompt_template.version" }
    /// `langfuse.observation.prompt.name` (Langfuse): the name of the prompt a generation used.
    @inlinable public static var langfusePromptName: String { "langfuse.observation.prompt.name" }
    /// `langfuse.observation.prompt.version` (Langfuse): the version number of that prompt (int).
    @inlinable public static var langfusePromptVersion: String { "langfuse.observation.prompt.version" }
}
