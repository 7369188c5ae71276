import OTLPWire

/// Parses the plain JSON the uploader's SQLite store keeps in `attributes_json`, `events_json` and `links_json` back
/// into OTLP values, keeping object key order (so a span reads back with its attributes in the order they were
/// written).
///
/// Mapping: strings → `.string`, integers (no fraction or exponent, fitting Int64) → `.int`, other numbers →
/// `.double`, booleans → `.bool`, arrays → `.array`, objects → `.kvlist`, null → `.empty`. Bytes were stored as hex
/// strings and read back as strings. Returns nil for malformed JSON (the caller reports the row).
struct StoreJSONReader {
    private let bytes: [UInt8]
    private var i = 0

    private init(_ text: String) { bytes = Array(text.utf8) }

    /// The attributes of a JSON object text; nil when it is not a JSON object.
    static func attributes(_ text: String) -> [OTLPKeyValue]? {
        var reader = StoreJSONReader(text)
        guard case .kvlist(let pairs)? = reader.document() else { return nil }
        return pairs
    }

    /// The events of a `[{"name":..., "time_unix_nano":..., "attributes":{...}}]` text; nil when malformed.
    static func events(_ text: String) -> [OTLPEvent]? {
        objects(text) { fields in
            var event = OTLPEvent()
            for field in fields {
                switch (field.key, field.value) {
                case ("name", .string(let s)): event.name = s
                case ("time_unix_nano", .int(let t)): event.timeUnixNano = UInt64(bitPattern: t)
                case ("attributes", .kvlist(let a)): event.attributes = a
                default: break
                }
            }
            return event
        }
    }

    /// The links of a `[{"traceId", "spanId", "traceState", "attributes", "droppedAttributesCount", "flags"}]` text
    /// (ids as hex; a missing field keeps its default); nil when malformed or an id is not hex.
    static func links(_ text: String) -> [OTLPLink]? {
        objects(text) { fields in
            var link = OTLPLink()
            for field in fields {
                switch (field.key, field.value) {
                case ("traceId", .string(let s)):
                    guard let id = OTLPHex.bytes(fromHex: s) else { return nil }
                    link.traceID = id
                case ("spanId", .string(let s)):
                    guard let id = OTLPHex.bytes(fromHex: s) else { return nil }
                    link.spanID = id
                case ("traceState", .string(let s)): link.traceState = s
                case ("attributes", .kvlist(let a)): link.attributes = a
                case ("droppedAttributesCount", .int(let n)):
                    link.droppedAttributesCount = UInt32(truncatingIfNeeded: n)
                case ("flags", .int(let n)): link.flags = UInt32(truncatingIfNeeded: n)
                default: break
                }
            }
            return link
        }
    }

    /// Each object of a JSON array text, converted by `make`; nil when the text is not an array of objects or
    /// `make` returns nil for one.
    private static func objects<T>(_ text: String, _ make: ([OTLPKeyValue]) -> T?) -> [T]? {
        var reader = StoreJSONReader(text)
        guard case .array(let items)? = reader.document() else { return nil }
        var result: [T] = []
        for item in items {
            guard case .kvlist(let fields) = item, let value = make(fields) else { return nil }
            result.append(value)
        }
        return result
    }

    private mutating func document() -> OTLPValue? {
        guard let v = value(depth: 0) else { return nil }
        skipSpace()
        return i == bytes.count ? v : nil
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return false }
        i += w.count
        return true
    }

    private mutating func value(depth: Int) -> OTLPValue? {
        guard depth < 64 else { return nil }
        skipSpace()
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var pairs: [OTLPKeyValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .kvlist(pairs) }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                guard let v = value(depth: depth + 1) else { return nil }
                pairs.append(OTLPKeyValue(key, v))
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "}") else { return nil }
                i += 1
                return .kvlist(pairs)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [OTLPValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                guard let v = value(depth: depth + 1) else { return nil }
                items.append(v)
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "]") else { return nil }
                i += 1
                return .array(items)
            }
        case UInt8(ascii: "\""): return string().map { .string($0) }
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .empty : nil
        default: return number()
        }
    }

    private mutating func number() -> OTLPValue? {
        let start = i
        var integral = true
        while i < bytes.count {
            let c = bytes[i]
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                i += 1
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                integral = false
                i += 1
            } else {
                break
            }
        }
        guard i > start else { return nil }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if integral, let n = Int64(text) { return .int(n) }
        return Double(text).map { .double($0) }
    }

    private mutating func string() -> String? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard i < bytes.count else { return nil }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(scalar), literal("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
            return nil
        }
        i += 4
        return v
    }
}
