/// A well-known credential shape that the tracer redacts from values by default (`RedactionConfiguration`). The
/// exact token grammar of each is `CredentialScanner`'s and is documented in Docs/Tracer.md, "Redaction".
enum CredentialShape: UInt8, CaseIterable, Sendable {
    /// An OpenAI API key: `sk-` followed by at least 20 of `A-Z a-z 0-9 _ -` (covers `sk-proj-…`, `sk-svcacct-…`).
    case openAIKey = 1
    /// An Anthropic API key: `sk-ant-` followed by at least 20 of `A-Z a-z 0-9 _ -`.
    case anthropicKey
    /// The token of `Bearer <token>`: at least 16 of `A-Z a-z 0-9 - . _ ~ + /`, then any `=` padding.
    case bearerToken
    /// An AWS access key id: `AKIA` or `ASIA` and exactly 16 of `A-Z 0-9`.
    case awsAccessKeyID
    /// A GitHub token: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` followed by at least 36 of `A-Z a-z 0-9`, or
    /// `github_pat_` followed by at least 22 of `A-Z a-z 0-9 _`.
    case githubToken
    /// A PEM private-key block, from `-----BEGIN … PRIVATE KEY-----` to its `-----END … PRIVATE KEY-----` line (to the
    /// end of the value when that line is missing).
    case privateKey

    /// The rule's name, as the marker and the log say it.
    var name: String {
        switch self {
        case .openAIKey: "openai-key"
        case .anthropicKey: "anthropic-key"
        case .bearerToken: "bearer-token"
        case .awsAccessKeyID: "aws-access-key-id"
        case .githubToken: "github-token"
        case .privateKey: "private-key"
        }
    }

    /// What replaces the credential inside the value: `[REDACTED:<name>]` (literals: no string is built per use).
    var marker: StaticString {
        switch self {
        case .openAIKey: "[REDACTED:openai-key]"
        case .anthropicKey: "[REDACTED:anthropic-key]"
        case .bearerToken: "[REDACTED:bearer-token]"
        case .awsAccessKeyID: "[REDACTED:aws-access-key-id]"
        case .githubToken: "[REDACTED:github-token]"
        case .privateKey: "[REDACTED:private-key]"
        }
    }
}
