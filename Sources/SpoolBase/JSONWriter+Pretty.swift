extension JSONWriter {
    /// Writes `value` laid out for people and for byte-stable committed files: two-space indentation, one object
    /// member or array element per line, `"key": value` with one space, object members in their given order, an
    /// array of numbers only on one line (`[1, 2, 3]`), empty containers as `[]` and `{}`. Strings are escaped as
    /// `string(_:)` escapes. The layout starts at the current position with nesting level `level` and ends without a
    /// newline.
    package mutating func writePretty(_ value: JSONValue, level: Int = 0) {
        switch value {
        case .null, .bool, .number, .string:
            self.value(value)
        case .array(let items):
            separate()
            if items.isEmpty {
                bytes.append(contentsOf: "[]".utf8)
            } else if items.allSatisfy({ if case .number = $0 { true } else { false } }) {
                bytes.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { bytes.append(contentsOf: ", ".utf8) }
                    if case .number(let n) = item { bytes.append(contentsOf: n.text.utf8) }
                }
                bytes.append(UInt8(ascii: "]"))
            } else {
                bytes.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    bytes.append(contentsOf: (i > 0 ? ",\n" : "\n").utf8)
                    indent(level + 1)
                    needsComma = false
                    writePretty(item, level: level + 1)
                }
                bytes.append(UInt8(ascii: "\n"))
                indent(level)
                bytes.append(UInt8(ascii: "]"))
            }
        case .object(let members):
            separate()
            if members.isEmpty {
                bytes.append(contentsOf: "{}".utf8)
            } else {
                bytes.append(UInt8(ascii: "{"))
                for (i, member) in members.enumerated() {
                    bytes.append(contentsOf: (i > 0 ? ",\n" : "\n").utf8)
                    indent(level + 1)
                    needsComma = false
                    key(escaping: member.key)
                    bytes.append(UInt8(ascii: " "))
                    writePretty(member.value, level: level + 1)
                }
                bytes.append(UInt8(ascii: "\n"))
                indent(level)
                bytes.append(UInt8(ascii: "}"))
            }
        }
        needsComma = true
    }

    private mutating func indent(_ level: Int) {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }
}
