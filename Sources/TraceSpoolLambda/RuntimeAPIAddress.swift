/// The value of `AWS_LAMBDA_RUNTIME_API`: `host:port`, without a scheme (for example `127.0.0.1:9001`).
///
/// Source: AWS Lambda developer guide, "Using the Lambda Extensions API to create extensions"
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-extensions-api.html): the API's base URL is
/// `http://${AWS_LAMBDA_RUNTIME_API}/2020-01-01/extension`.
package struct RuntimeAPIAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host: a name, an IPv4 address, or a bracketed IPv6 address.
    package let host: String
    /// The TCP port.
    package let port: Int

    /// The variable's name.
    package static let variable = "AWS_LAMBDA_RUNTIME_API"

    /// Parses `value`.
    ///
    /// - Throws: `LambdaConfigurationError` naming `AWS_LAMBDA_RUNTIME_API` when the value is empty, has a scheme or a
    ///   path, or lacks a valid host or port (1...65535).
    package init(_ value: String) throws(LambdaConfigurationError) {
        func fail(_ why: String) -> LambdaConfigurationError {
            LambdaConfigurationError(
                variable: Self.variable,
                problem: "must be host:port without a scheme (\(why)), not '\(value.prefix(80))'")
        }
        guard !value.isEmpty else { throw fail("it is empty") }
        guard !value.contains("://") else { throw fail("no scheme") }
        guard !value.contains("/"), !value.contains(" "), !value.contains("@") else { throw fail("no path") }
        guard let colon = value.lastIndex(of: ":") else { throw fail("no port") }
        let host = String(value[..<colon])
        let portText = value[value.index(after: colon)...]
        guard !host.isEmpty else { throw fail("no host") }
        if host.contains(":"), !(host.hasPrefix("[") && host.hasSuffix("]")) { throw fail("IPv6 needs brackets") }
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
}
