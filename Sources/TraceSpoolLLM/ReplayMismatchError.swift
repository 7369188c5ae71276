/// In replay, a request that no unused recorded exchange matches although the recording has exchanges with its
/// method and path: the request changed since the recording was made (or is sent more times than then).
///
/// Its text names the request, the closest recorded exchange (the one with the fewest differing fields; among
/// those, the one whose values differ by the fewest bytes, an unused one before a used one, then the first in the
/// file), the differing fields as JSON paths into the body with the
/// recorded and requested values, and what to do next. Thrown by `.replay` at both levels.
public struct ReplayMismatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One difference between the closest recorded request and the request.
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        /// Where: a JSON path into the body (`messages[1].content`, `tools[0].function.name`, `(body)` for the body
        /// as a whole when one side is not JSON), or `(query)` for the URL query.
        public var field: String
        /// The recorded value, written compactly and shortened to about 60 characters; nil when absent there.
        public var recorded: String?
        /// The requested value, written the same way; nil when absent in the request.
        public var requested: String?

        /// A difference.
        public init(field: String, recorded: String?, requested: String?) {
            self.field = field
            self.recorded = recorded
            self.requested = requested
        }

        /// `field: recorded <value> ≠ requested <value>` (`(absent)` for a missing value).
        public var description: String {
            "\(field): recorded \(recorded ?? "(absent)") ≠ requested \(requested ?? "(absent)")"
        }
    }

    /// The request's method.
    public var method: String
    /// The request's URL path and query, credential parameters left out.
    public var path: String
    /// The start of the request's body (compact JSON, or its size when not JSON) and its size in bytes.
    public var bodySummary: String
    /// The recording file.
    public var recordingPath: String
    /// The closest recorded exchange's index in the file's `exchanges` array (from 0); nil when the recording has
    /// none with the request's method and path.
    public var closestExchangeIndex: Int?
    /// Whether the closest recorded exchange was already served to an earlier request.
    public var closestWasServed: Bool
    /// The differences between the closest recorded request and this one (at most `maximumDifferences`); empty
    /// when the closest one is identical and was already served.
    public var differences: [Difference]
    /// How many differences there are in all (`differences` holds the first `maximumDifferences`).
    public var differenceCount: Int

    /// The most differences an error keeps.
    public static let maximumDifferences = 50
    /// The most differences its text lists.
    static let listedDifferences = 10

    /// An error for the request `method` `path`.
    public init(
        method: String, path: String, bodySummary: String, recordingPath: String, closestExchangeIndex: Int?,
        closestWasServed: Bool, differences: [Difference], differenceCount: Int? = nil
    ) {
        self.method = method
        self.path = path
        self.bodySummary = bodySummary
        self.recordingPath = recordingPath
        self.closestExchangeIndex = closestExchangeIndex
        self.closestWasServed = closestWasServed
        self.differences = differences
        self.differenceCount = differenceCount ?? differences.count
    }

    /// The request, the closest recorded exchange, the differing fields and what to do.
    public var description: String {
        var text =
            "Replay mismatch: no unused exchange in the LLM recording \(recordingPath) matches the request "
            + "\(method) \(path) \(bodySummary).\n"
        guard let index = closestExchangeIndex else {
            return text + "Closest recorded exchange: none (no exchange with method \(method) and path \(path)). "
                + "Record again (RecordReplay mode .record, or --record) to include this request."
        }
        text += "Closest recorded exchange: exchanges[\(index)] (\(method) \(path))"
        if differences.isEmpty {
            text +=
                ", identical to the request but already served: the request is sent more times than when it was "
                + "recorded. Record again (RecordReplay mode .record, or --record) if that is intended.\n"
            return text
        }
        text += closestWasServed ? ", already served, " : ", "
        text += "\(differenceCount) \(differenceCount == 1 ? "difference" : "differences"):\n"
        for difference in differences.prefix(Self.listedDifferences) {
            text += "  \(difference)\n"
        }
        if differenceCount > Self.listedDifferences {
            text += "  ... and \(differenceCount - Self.listedDifferences) more\n"
        }
        let example = differences.first { !$0.field.hasPrefix("(") }?.field ?? "metadata.run_id"
        text +=
            "If the request changed on purpose, record again (RecordReplay mode .record, or --record); if a field "
            + "varies from run to run, leave it out of matching with RecordReplay.ignoredFields (e.g. \"\(example)\")."
        return text
    }
}
