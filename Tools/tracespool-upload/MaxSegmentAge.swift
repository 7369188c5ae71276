/// `TRACESPOOL_UPLOAD_MAX_AGE_MS`: `--max-age-ms` (retention by age) when the flag is not given.
enum MaxSegmentAge {
    /// The variable's name.
    static let variable = "TRACESPOOL_UPLOAD_MAX_AGE_MS"

    /// The longest maximum age, ms: ten years, far below where `Duration` arithmetic overflows.
    static let maxMillis = 10 * 365 * 24 * 3_600_000

    /// The variable's milliseconds, nil when it is unset or empty (retention off).
    ///
    /// - Throws: `CommandLineConfigurationError` naming the variable when it is not a positive number of
    ///   milliseconds of at most `maxMillis`.
    static func fromEnvironment(_ environment: [String: String]) throws(CommandLineConfigurationError) -> Int? {
        guard let value = environment[variable], !value.isEmpty else { return nil }
        guard let millis = Int(value), millis >= 1, millis <= maxMillis else {
            throw CommandLineConfigurationError(
                message: """
                    \(variable) must be a positive number of milliseconds up to \(maxMillis) (259200000 is 72 h; \
                    unset it to keep every segment), not \(value.prefix(64))
                    """)
        }
        return millis
    }
}
