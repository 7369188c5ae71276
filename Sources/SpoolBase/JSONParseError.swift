/// Why `JSONReader` rejected a text, and where: the offset of the byte at which the problem was found.
package struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    package enum Problem: Sendable, Equatable {
        /// The text ends inside a value (or is empty).
        case unexpectedEnd
        /// A byte that cannot start or continue what the grammar expects here.
        case unexpectedByte(UInt8)
        /// A word that starts like `true`, `false` or `null` but is not one of them.
        case invalidLiteral
        /// A number that does not follow the JSON number grammar (leading zeros, `+`, a bare `.` or exponent).
        case invalidNumber
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape
        /// A `\u` escape of a UTF-16 surrogate that is not half of a high-low pair.
        case loneSurrogate
        /// A control character (U+0000 to U+001F) written unescaped inside a string.
        case controlCharacterInString
        /// A string whose bytes are not valid UTF-8 (the offset is the string's opening quote).
        case invalidUTF8
        /// Arrays and objects nested deeper than the reader's limit.
        case tooDeep(limit: Int)
        /// Something other than white space after the document's value.
        case trailingData
    }

    /// The byte offset in the text where the problem was found.
    package var offset: Int
    /// What is wrong.
    package var problem: Problem

    /// Creates an error.
    package init(offset: Int, problem: Problem) {
        self.offset = offset
        self.problem = problem
    }

    /// `invalid JSON at byte N: <problem>`.
    package var description: String {
        let what: String
        switch problem {
        case .unexpectedEnd: what = "unexpected end of text"
        case .unexpectedByte(let b): what = "unexpected byte 0x\(Hex.string(UInt64(b), digits: 2))"
        case .invalidLiteral: what = "invalid literal (expected true, false or null)"
        case .invalidNumber: what = "invalid number"
        case .invalidEscape: what = "invalid escape sequence"
        case .loneSurrogate: what = "unpaired UTF-16 surrogate escape"
        case .controlCharacterInString: what = "unescaped control character in a string"
        case .invalidUTF8: what = "string is not valid UTF-8"
        case .tooDeep(let limit): what = "arrays and objects nested deeper than \(limit)"
        case .trailingData: what = "data after the end of the document"
        }
        return "invalid JSON at byte \(offset): \(what)"
    }
}
