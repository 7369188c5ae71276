package import SpoolBase

/// One field of a JSON request body that matching leaves out, parsed from its text: member names separated by
/// dots, each optionally followed by array subscripts — `[*]` for every element, `[N]` for element N (from 0).
/// Examples: `user`, `metadata.run_id`, `messages[*].name`, `messages[0].content`, `input[*][*].id`.
///
/// A name cannot contain `.`, `[` or `]`. A path that names nothing in a body leaves it unchanged.
package struct RequestMatchFieldPath: Sendable, Equatable, CustomStringConvertible {
    /// One step of a path.
    package enum Step: Sendable, Equatable {
        /// The members of an object with this name.
        case member(String)
        /// Every element of an array.
        case anyElement
        /// The element of an array at this index.
        case element(Int)
    }

    /// The steps from the body's root.
    package var steps: [Step]
    /// The path as written.
    package var description: String

    /// The path `text`; nil when it is empty or not of the form described above.
    package init?(_ text: String) {
        var steps: [Step] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = part[...]
            let nameEnd = rest.firstIndex(of: "[") ?? rest.endIndex
            let name = rest[..<nameEnd]
            if name.isEmpty {
                // An empty name is allowed only for subscripts at the root (`[*].id`).
                guard steps.isEmpty, nameEnd != rest.endIndex else { return nil }
            } else {
                guard !name.contains("]") else { return nil }
                steps.append(.member(String(name)))
            }
            rest = rest[nameEnd...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if inside == "*" {
                    steps.append(.anyElement)
                } else if let index = Int(inside), index >= 0 {
                    steps.append(.element(index))
                } else {
                    return nil
                }
                rest = rest[rest.index(after: close)...]
            }
        }
        guard !steps.isEmpty else { return nil }
        self.steps = steps
        self.description = text
    }

    /// The path of the top-level member `name`, whatever characters it holds (for a configured field that does not
    /// parse as a path).
    package init(member name: String) {
        steps = [.member(name)]
        description = name
    }

    /// `value` without what this path names.
    package func removing(from value: JSONValue) -> JSONValue {
        Self.removing(steps[...], from: value)
    }

    private static func removing(_ steps: ArraySlice<Step>, from value: JSONValue) -> JSONValue {
        guard let step = steps.first else { return value }
        let rest = steps.dropFirst()
        switch (step, value) {
        case (.member(let name), .object(let members)):
            if rest.isEmpty { return .object(members.filter { $0.key != name }) }
            return .object(
                members.map { $0.key == name ? JSONMember($0.key, removing(rest, from: $0.value)) : $0 })
        case (.anyElement, .array(let items)):
            if rest.isEmpty { return .array([]) }
            return .array(items.map { removing(rest, from: $0) })
        case (.element(let index), .array(var items)):
            guard index < items.count else { return value }
            if rest.isEmpty {
                items.remove(at: index)
            } else {
                items[index] = removing(rest, from: items[index])
            }
            return .array(items)
        default:
            return value
        }
    }
}
