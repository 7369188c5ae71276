/// Which destination the command line asks for, from the flags that choose one, checked before anything is read:
/// an empty value (an unset shell variable) is an error, two flags that choose different destinations are an error
/// naming both, and a flag that only the other destination uses is an error — never a silent choice.
///
/// Flags win over the environment: `--sqlite` or `--sink sqlite` sends to SQLite even when `OTEL_EXPORTER_OTLP_*`
/// names an endpoint (those variables are then not read).
enum DestinationChoice: Equatable {
    /// OTLP/HTTP: an endpoint flag or `--sink otlp-http` (the endpoint may come from the environment).
    case otlpHTTP
    /// SQLite, by `--sqlite` or `--sink sqlite`.
    case sqlite
    /// No flag chooses: OTLP/HTTP when the environment names an endpoint, else SQLite.
    case fromEnvironment

    /// The choice the flags make (nil for a flag not given).
    ///
    /// - Parameters:
    ///   - otlpOnlyFlags: the OTLP/HTTP settings given (`--header`, `--compression`, `--timeout-ms`, `--ca-file`,
    ///     `--client-cert`, `--client-key`), by flag name.
    /// - Throws: `CommandLineConfigurationError` naming the flag, or both flags of a conflict.
    static func make(
        endpoint: String?, tracesEndpoint: String?, sqlite: String?, sink: String?, otlpOnlyFlags: [String]
    ) throws(CommandLineConfigurationError) -> DestinationChoice {
        for (flag, value) in [
            ("--endpoint", endpoint), ("--traces-endpoint", tracesEndpoint), ("--sqlite", sqlite), ("--sink", sink),
        ] where value?.isEmpty == true {
            throw CommandLineConfigurationError(
                message: "\(flag) is empty (an unset shell variable?): give a value or leave the flag out")
        }
        let endpointFlag = tracesEndpoint != nil ? "--traces-endpoint" : endpoint != nil ? "--endpoint" : nil
        let choice: DestinationChoice
        switch sink {
        case nil:
            if let endpointFlag, sqlite != nil {
                throw conflict("--sqlite", endpointFlag)
            }
            choice = sqlite != nil ? .sqlite : endpointFlag != nil ? .otlpHTTP : .fromEnvironment
        case "sqlite":
            if let endpointFlag { throw conflict("--sink sqlite", endpointFlag) }
            choice = .sqlite
        case "otlp-http":
            if sqlite != nil { throw conflict("--sink otlp-http", "--sqlite") }
            choice = .otlpHTTP
        case let other?:
            throw CommandLineConfigurationError(message: "--sink must be otlp-http or sqlite, not \(other)")
        }
        if choice == .sqlite, let flag = otlpOnlyFlags.first {
            throw CommandLineConfigurationError(
                message:
                    "\(flag) applies to OTLP/HTTP only, and the destination is SQLite (\(sqlite != nil ? "--sqlite" : "--sink sqlite"))"
            )
        }
        return choice
    }

    private static func conflict(_ first: String, _ second: String) -> CommandLineConfigurationError {
        CommandLineConfigurationError(
            message: "\(first) and \(second) choose different destinations: give one of them")
    }
}
