/// `TRACESPOOL_GIVE_UP_UNANSWERED_MS`: `--give-up-unanswered-ms` when the flag is not given.
enum UnansweredGiveUp {
    /// The variable's name.
    static let variable = "TRACESPOOL_GIVE_UP_UNANSWERED_MS"

    /// The variable's milliseconds, nil when it is unset or empty.
    ///
    /// - Throws: `CommandLineConfigurationError` naming the variable when it is not a number of milliseconds.
    static func fromEnvironment(_ environment: [String: String]) throws(CommandLineConfigurationError) -> Int? {
        guard let value = environment[variable], !value.isEmpty else { return nil }
        guard let millis = Int(value), millis >= 0 else {
            throw CommandLineConfigurationError(message: "\(variable) must be milliseconds (0 or more), not \(value)")
        }
        return millis
    }
}
