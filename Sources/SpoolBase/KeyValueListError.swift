/// Why `KeyValueList.parse` rejected a list: which entry (by position, never by its text) and what is wrong with it.
package struct KeyValueListError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the entry.
    package enum Problem: Sendable, Equatable {
        /// The entry has no `=`.
        case missingEquals
        /// The key is empty.
        case emptyKey
        /// A `%` is not followed by two hex digits.
        case invalidPercentEncoding
        /// The percent-decoded bytes are not valid UTF-8.
        case invalidUTF8
    }

    /// The entry's 1-based position among the comma-separated entries, blank ones counted.
    package var position: Int
    /// What is wrong with it.
    package var problem: Problem

    /// Creates an error.
    package init(position: Int, problem: Problem) {
        self.position = position
        self.problem = problem
    }

    /// `entry N has no '=' (expected key=value)` and the like.
    package var description: String {
        switch problem {
        case .missingEquals: "entry \(position) has no '=' (expected key=value)"
        case .emptyKey: "entry \(position) has an empty key"
        case .invalidPercentEncoding: "entry \(position) has invalid percent-encoding"
        case .invalidUTF8: "entry \(position) is not valid UTF-8 once percent-decoded"
        }
    }
}
