extension HTTPSpanAttributes {
    /// The parts of an absolute URL (`scheme://[userinfo@]host[:port]/path[?query][#fragment]`) the exchange needs,
    /// split on its UTF-8 bytes without Foundation. A URL without `://` is taken as a path (host empty, port nil).
    package struct URLParts: Sendable, Equatable {
        /// The scheme, lowercased (`https`).
        package var scheme: String
        /// The host, lowercased, without brackets for an IPv6 literal (`api.openai.com`, `::1`).
        package var host: String
        /// The port given in the URL, else the scheme's default (443 for https, 80 for http), else nil.
        package var port: Int?
        /// The path, `/` when the URL has none; without query and fragment.
        package var path: String

        /// Splits `url`.
        package init(_ url: String) {
            let bytes = url.utf8
            let end = bytes.firstIndex { $0 == .question || $0 == .hash } ?? bytes.endIndex
            var separator: String.Index?
            if let colon = bytes[..<end].firstIndex(of: .colon) {
                let first = bytes.index(after: colon)
                if first < end, bytes[first] == .slash {
                    let second = bytes.index(after: first)
                    if second < end, bytes[second] == .slash { separator = colon }
                }
            }
            guard let separator else {
                scheme = ""
                host = ""
                port = nil
                path = end == bytes.startIndex ? "/" : String(url[..<end])
                return
            }
            scheme = Self.lowercased(String(url[..<separator]))
            let authorityStart = bytes.index(separator, offsetBy: 3)
            let authorityEnd = bytes[authorityStart..<end].firstIndex(of: .slash) ?? end
            path = authorityEnd == end ? "/" : String(url[authorityEnd..<end])
            var hostStart = authorityStart
            if let at = bytes[authorityStart..<authorityEnd].lastIndex(of: .at) { hostStart = bytes.index(after: at) }
            var portStart: String.Index?
            if hostStart < authorityEnd, bytes[hostStart] == .openBracket,
                let close = bytes[hostStart..<authorityEnd].firstIndex(of: .closeBracket)
            {
                host = String(url[bytes.index(after: hostStart)..<close])
                let afterHost = bytes.index(after: close)
                if afterHost < authorityEnd, bytes[afterHost] == .colon { portStart = bytes.index(after: afterHost) }
            } else if let colon = bytes[hostStart..<authorityEnd].lastIndex(of: .colon) {
                host = String(url[hostStart..<colon])
                portStart = bytes.index(after: colon)
            } else {
                host = String(url[hostStart..<authorityEnd])
            }
            host = Self.lowercased(host)
            var number: Int?
            if let portStart, portStart < authorityEnd {
                var value = 0
                for byte in bytes[portStart..<authorityEnd] {
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), value <= 65535 else {
                        value = -1
                        break
                    }
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                }
                if (0...65535).contains(value) { number = value }
            }
            port = number ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil)
        }

        /// `text` lowercased, without a copy when it has no uppercase ASCII letter (the common case).
        private static func lowercased(_ text: String) -> String {
            text.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? text.lowercased() : text
        }
    }
}

extension UInt8 {
    fileprivate static let question = UInt8(ascii: "?")
    fileprivate static let hash = UInt8(ascii: "#")
    fileprivate static let colon = UInt8(ascii: ":")
    fileprivate static let slash = UInt8(ascii: "/")
    fileprivate static let at = UInt8(ascii: "@")
    fileprivate static let openBracket = UInt8(ascii: "[")
    fileprivate static let closeBracket = UInt8(ascii: "]")
}
