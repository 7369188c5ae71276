package import SpoolBase

/// The recording file's text (Docs/LLMRecording.md): one JSON document, two-space indentation, one member per
/// line, members in a fixed order — `{"format": "tracespool-llm-recording", "version": 1, "exchanges": [...]}` with
/// one block per exchange, in the order recorded.
///
/// An exchange is `{"request": {...}, "response": {...}}`. The request has `method`, `url`, `headers` and, when
/// it has a body, one of `body` (the JSON value, members sorted by name), `body_text` (UTF-8 text) or `body_base64`.
/// The response has `status`, `headers` and either `body` (one JSON value) or `chunks` (one string per chunk as
/// received, `{"base64": "..."}` for a chunk that is not UTF-8). Headers are an object of field name to value, an
/// array of values for a field that repeats. Members this version does not know are ignored on reading.
package enum RecordingCodec {
    /// The value of the document's `format` member.
    package static let format = "tracespool-llm-recording"
    /// The format version this library writes and reads.
    package static let version = 1
    /// The nesting limit of a body read as JSON (request and response bodies, live or recorded); a deeper body is
    /// handled as bytes.
    package static let bodyDepth = 256
    /// The nesting limit when reading a file: the file's own levels (at most 4 around a body) and a body.
    static let maximumDepth = bodyDepth + 8

    /// A value of the wrong shape at `field` (a JSON path in the file).
    struct ShapeError: Error {
        var field: String
        var what: String
    }

    // MARK: Writing

    /// `exchange` as the JSON value of its block.
    package static func encode(_ exchange: RecordedExchange) -> JSONValue {
        var request: [JSONMember] = [
            JSONMember("method", .string(exchange.method)),
            JSONMember("url", .string(exchange.url)),
            JSONMember("headers", encode(exchange.requestHeaders)),
        ]
        if let json = exchange.requestJSON {
            request.append(JSONMember("body", CanonicalJSON.sorted(json, normalizingNumbers: false)))
        } else if !exchange.requestBody.isEmpty {
            if let text = String(validating: exchange.requestBody, as: UTF8.self) {
                request.append(JSONMember("body_text", .string(text)))
            } else {
                request.append(JSONMember("body_base64", .string(base64(exchange.requestBody))))
            }
        }
        var response: [JSONMember] = [
            JSONMember("status", .integer(exchange.response.head.status)),
            JSONMember("headers", encode(exchange.response.head.headers)),
        ]
        if let json = exchange.responseJSON {
            response.append(JSONMember("body", json))
        } else {
            response.append(JSONMember("chunks", .array(exchange.response.chunks.map(encode(chunk:)))))
        }
        return .object([JSONMember("request", .object(request)), JSONMember("response", .object(response))])
    }

    /// The whole file for the exchange blocks `blocks` (each as `block(_:)` writes it).
    package static func document(blocks: [[UInt8]]) -> [UInt8] {
        var bytes = Array("{\n  \"format\": \"\(format)\",\n  \"version\": \(version),\n  \"exchanges\": [".utf8)
        if blocks.isEmpty {
            bytes.append(contentsOf: "]\n}\n".utf8)
            return bytes
        }
        for (i, block) in blocks.enumerated() {
            bytes.append(contentsOf: (i == 0 ? "\n    " : ",\n    ").utf8)
            bytes.append(contentsOf: block)
        }
        bytes.append(contentsOf: "\n  ]\n}\n".utf8)
        return bytes
    }

    /// The text of one exchange's block inside `"exchanges": [...]`, indented for its place there.
    package static func block(_ exchange: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.writePretty(exchange, level: 2)
        return writer.bytes
    }

    private static func encode(_ headers: [LLMHTTPHeader]) -> JSONValue {
        var members: [JSONMember] = []
        var positions: [String: Int] = [:]
        for header in headers {
            let lower = header.name.lowercased()
            if let i = positions[lower] {
                switch members[i].value {
                case .array(let values): members[i].value = .array(values + [.string(header.value)])
                case let single: members[i].value = .array([single, .string(header.value)])
                }
            } else {
                positions[lower] = members.count
                members.append(JSONMember(header.name, .string(header.value)))
            }
        }
        return .object(members)
    }

    private static func encode(chunk: [UInt8]) -> JSONValue {
        if let text = String(validating: chunk, as: UTF8.self) { return .string(text) }
        return .object([JSONMember("base64", .string(base64(chunk)))])
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        Base64.append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Reading

    /// The exchanges of the file `bytes` read from `path`, each with its value as written.
    ///
    /// - Throws: `RecordingError` `.malformed` with the line and column of a JSON syntax error or the JSON path of a
    ///   value of the wrong shape; `.unsupportedVersion` for another format version.
    package static func decode(_ bytes: [UInt8], path: String) throws(RecordingError) -> [(
        exchange: RecordedExchange, value: JSONValue
    )] {
        let root: JSONValue
        do {
            root = try JSONReader.parse(bytes, maximumDepth: maximumDepth)
        } catch {
            let (line, column) = lineAndColumn(of: error.offset, in: bytes)
            let what = error.description.replacingPrefix("invalid JSON at byte \(error.offset): ")
            throw RecordingError(path: path, problem: .malformed("not valid JSON: \(what)"), line: line, column: column)
        }
        guard case .object = root, root.member("format") == .string(format) else {
            throw RecordingError(
                path: path,
                problem: .malformed("not a TraceSpool LLM recording (no \"format\": \"\(format)\" member)"),
                field: "format")
        }
        guard case .number(let number) = root.member("version") else {
            throw RecordingError(path: path, problem: .malformed("no \"version\" number"), field: "version")
        }
        guard number.int64 == Int64(version) else {
            throw RecordingError(path: path, problem: .unsupportedVersion(number.text), field: "version")
        }
        guard case .array(let items) = root.member("exchanges") else {
            throw RecordingError(
                path: path, problem: .malformed("expected an array of exchanges"), field: "exchanges")
        }
        do throws(ShapeError) {
            var exchanges: [(RecordedExchange, JSONValue)] = []
            exchanges.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                exchanges.append((try decode(exchange: item, field: "exchanges[\(i)]"), item))
            }
            return exchanges
        } catch {
            throw RecordingError(path: path, problem: .malformed(error.what), field: error.field)
        }
    }

    private static func decode(exchange value: JSONValue, field: String) throws(ShapeError) -> RecordedExchange {
        let request = try object(value.member("request"), field + ".request")
        let response = try object(value.member("response"), field + ".response")
        let method = try string(request.member("method"), field + ".request.method")
        let url = try string(request.member("url"), field + ".request.url")
        let requestHeaders = try headers(request.member("headers"), field + ".request.headers")
        var requestBody: [UInt8] = []
        var requestJSON: JSONValue?
        if let json = request.member("body") {
            requestJSON = json
            requestBody = CanonicalJSON.bytes(json)
        } else if let text = request.member("body_text") {
            requestBody = Array(try string(text, field + ".request.body_text").utf8)
        } else if let encoded = request.member("body_base64") {
            requestBody = try base64(encoded, field + ".request.body_base64")
        }
        let status = try integer(response.member("status"), field + ".response.status")
        guard (100...999).contains(status) else {
            throw ShapeError(field: field + ".response.status", what: "expected an HTTP status code, found \(status)")
        }
        let head = LLMHTTPResponseHead(
            status: status, headers: try headers(response.member("headers"), field + ".response.headers"))
        if let json = response.member("body") {
            return RecordedExchange(
                method: method, url: url, requestHeaders: requestHeaders, requestBody: requestBody,
                requestJSON: requestJSON, response: RecordedResponse(head: head, chunks: [CanonicalJSON.bytes(json)]),
                responseJSON: json)
        }
        guard case .array(let items) = response.member("chunks") else {
            throw ShapeError(
                field: field + ".response", what: "expected a \"body\" (a JSON value) or \"chunks\" (an array)")
        }
        var chunks: [[UInt8]] = []
        for (i, item) in items.enumerated() {
            let chunkField = field + ".response.chunks[\(i)]"
            switch item {
            case .string(let text): chunks.append(Array(text.utf8))
            case .object:
                chunks.append(try base64(item.member("base64"), chunkField + ".base64"))
            default:
                throw ShapeError(field: chunkField, what: "expected a string or {\"base64\": \"...\"}")
            }
        }
        return RecordedExchange(
            method: method, url: url, requestHeaders: requestHeaders, requestBody: requestBody,
            requestJSON: requestJSON, response: RecordedResponse(head: head, chunks: chunks), responseJSON: nil)
    }

    private static func object(_ value: JSONValue?, _ field: String) throws(ShapeError) -> JSONValue {
        guard case .object = value else { throw ShapeError(field: field, what: "expected an object") }
        return value!
    }

    private static func string(_ value: JSONValue?, _ field: String) throws(ShapeError) -> String {
        guard case .string(let s) = value else { throw ShapeError(field: field, what: "expected a string") }
        return s
    }

    private static func integer(_ value: JSONValue?, _ field: String) throws(ShapeError) -> Int {
        guard case .number(let n) = value, let i = n.int64, let int = Int(exactly: i) else {
            throw ShapeError(field: field, what: "expected an integer")
        }
        return int
    }

    private static func base64(_ value: JSONValue?, _ field: String) throws(ShapeError) -> [UInt8] {
        let text = try string(value, field)
        guard let bytes = Base64.decode(text) else {
            throw ShapeError(field: field, what: "not standard padded base64")
        }
        return bytes
    }

    private static func headers(_ value: JSONValue?, _ field: String) throws(ShapeError) -> [LLMHTTPHeader] {
        guard let value else { return [] }
        guard case .object(let members) = value else {
            throw ShapeError(field: field, what: "expected an object of header field names to values")
        }
        var headers: [LLMHTTPHeader] = []
        for member in members {
            switch member.value {
            case .string(let s): headers.append(LLMHTTPHeader(member.key, s))
            case .array(let values):
                for (i, v) in values.enumerated() {
                    headers.append(LLMHTTPHeader(member.key, try string(v, "\(field).\(member.key)[\(i)]")))
                }
            default:
                throw ShapeError(field: "\(field).\(member.key)", what: "expected a string or an array of strings")
            }
        }
        return headers
    }

    /// The line and column (both from 1; the column in bytes) of byte `offset` in `bytes`.
    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
