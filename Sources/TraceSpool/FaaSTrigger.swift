/// What caused a serverless invocation: `faas.trigger` of the OpenTelemetry semantic conventions (1.44).
public enum FaaSTrigger: String, Sendable, CaseIterable {
    /// A response to a data source operation, such as a database or file system read or write.
    case datasource
    /// An answer to an inbound HTTP request.
    case http
    /// A message sent to a messaging system.
    case pubsub
    /// A scheduled, regular execution.
    case timer
    /// None of the others.
    case other
}
