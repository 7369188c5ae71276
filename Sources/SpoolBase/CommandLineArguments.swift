/// What the three tools do to their command line before swift-argument-parser reads it.
package enum CommandLineArguments {
    /// `arguments` with every `--name` that is followed by a negative number (`-5`, `-0.5`, `-1e3`, `-inf`, `-nan`)
    /// joined to it as `--name=-5`, so the option receives the number and its own check names it ("--batch-size must
    /// be positive") instead of argument-parser reading `-5` as an unknown option and reporting a missing value.
    /// Nothing after `--` changes.
    package static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(arguments.count)
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            if argument.hasPrefix("--"), argument.count > 2, !argument.contains("="), index + 1 < arguments.count,
                isNegativeNumber(arguments[index + 1])
            {
                result.append(argument + "=" + arguments[index + 1])
                index += 2
                continue
            }
            result.append(argument)
            index += 1
        }
        return result
    }

    /// Whether `text` is a minus sign followed by a number (digits, a decimal point, an exponent) or by `inf`/`nan`.
    static func isNegativeNumber(_ text: String) -> Bool {
        guard text.hasPrefix("-"), text.count > 1 else { return false }
        let rest = text.dropFirst()
        if ["inf", "infinity", "nan"].contains(rest.lowercased()) { return true }
        guard let first = rest.utf8.first, first == UInt8(ascii: ".") || (48...57).contains(first) else { return false }
        return rest.utf8.allSatisfy {
            (48...57).contains($0)
                || [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-")]
                    .contains($0)
        }
    }
}
