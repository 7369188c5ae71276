/// One prompt of a `PromptLibrary` with all its versions and labels: an entry of `PromptLibrary.listing`.
public struct PromptVersions: Sendable, Equatable {
    /// The prompt's name (`support/triage`).
    public let name: String
    /// Every version, ascending by number; the last one is `latest`.
    public let versions: [Prompt]
    /// Each label and the version it points at: those of `<name>/labels.json`, and `latest`.
    public let labels: [String: Int]
}
