/// The value of `AWS_LAMBDA_RUNTIME_API`: `host:port`, without a scheme (for example `127.0.0.1:9001`), the address of
/// the Runtime, Extensions and Telemetry APIs.
///
/// Sources: AWS Lambda developer guide, "Using the Lambda runtime API for custom runtimes"
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) and "Using the Lambda Extensions API to create
/// extensions" (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-extensions-api.html): the base URLs are
/// `http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime` and `http://${AWS_LAMBDA_RUNTIME_API}/2020-01-01/extension`.
package struct RuntimeAPIAddress: Sendable, Equatable, CustomStringConvertible {
    /// Why a value is not a usable address; its description names the variable and says what is expected.
    package struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong with the value.
        package var reason: String
        /// The value, cut to 80 characters.
        package var value: String

        /// `AWS_LAMBDA_RUNTIME_API must be host:port without a scheme (<reason>), not '<value>'`.
        package var description: String {
            "\(RuntimeAPIAddress.variable) must be host:port without a scheme (\(reason)), not '\(value)'"
        }
    }

    /// The host: a name or IPv4 address (letters, digits, `.`, `-`), or a bracketed IPv6 address.
    package let host: String
    /// The TCP port.
    package let port: Int

    /// The variable's name.
    package static let variable = "AWS_LAMBDA_RUNTIME_API"

    /// Parses `value`.
    ///
    /// - Throws: `Invalid` when the value is empty, has a scheme or a path, or lacks a valid host (at most 255
    ///   bytes) or port (1...65535).
    package init(_ value: String) throws(Invalid) {
        func fail(_ reason: String) -> Invalid { Invalid(reason: reason, value: String(value.prefix(80))) }
        guard !value.isEmpty else { throw fail("it is empty") }
        guard !value.contains("://") else { throw fail("no scheme") }
        guard !value.contains("/") else { throw fail("no path") }
        guard let colon = value.lastIndex(of: ":") else { throw fail("no port") }
        let host = String(value[..<colon])
        let portText = value[value.index(after: colon)...]
        guard !host.isEmpty else { throw fail("no host") }
        guard host.utf8.count <= 255 else { throw fail("the host is longer than 255 bytes") }
        if host.hasPrefix("[") || host.contains(":") {
            guard host.hasPrefix("["), host.hasSuffix("]"), host.utf8.count > 2,
                host.utf8.dropFirst().dropLast().allSatisfy({ Self.isHexDigit($0) || $0 == UInt8(ascii: ":") })
            else { throw fail("an IPv6 address in brackets") }
        } else {
            guard host.utf8.allSatisfy(Self.isNameByte) else {
                throw fail("the host has letters, digits, '.' and '-' only")
            }
        }
        guard portText.utf8.count <= 5, portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let port = Int(portText),
            (1...65_535).contains(port)
        else { throw fail("the port must be 1 to 65535") }
        self.host = host
        self.port = port
    }

    /// `http://host:port`.
    package var baseURL: String { "http://\(host):\(port)" }

    /// `host:port`.
    package var description: String { "\(host):\(port)" }

    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
            || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
    }
}
