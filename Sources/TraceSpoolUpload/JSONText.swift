import OTLPWire

/// A minimal JSON text builder (objects, arrays, strings, numbers) used for dead-letter metadata and the SQLite
/// store's JSON columns.
struct JSONText {
    private(set) var text = ""
    private var needsComma = [false]

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    mutating func beginObject() { valuePrefix(); text += "{"; needsComma.append(false) }
    mutating func endObject() { text += "}"; needsComma.removeLast() }
    mutating func beginArray() { valuePrefix(); text += "["; needsComma.append(false) }
    mutating func endArray() { text += "]"; needsComma.removeLast() }

    mutating func key(_ k: String) {
        separator()
        Self.appendQuoted(k, to: &text)
        text += ":"
        needsComma[needsComma.count - 1] = false
        pendingValueAfterKey = true
    }

    private var pendingValueAfterKey = false

    private mutating func valuePrefix() {
        if pendingValueAfterKey {
            pendingValueAfterKey = false
            needsComma[needsComma.count - 1] = true
        } else {
            separator()
        }
    }

    mutating func string(_ s: String) { valuePrefix(); Self.appendQuoted(s, to: &text) }
    mutating func int(_ i: Int) { valuePrefix(); text += String(i) }
    mutating func int64(_ i: Int64) { valuePrefix(); text += String(i) }
    mutating func bool(_ b: Bool) { valuePrefix(); text += b ? "true" : "false" }
    mutating func null() { valuePrefix(); text += "null" }
    mutating func double(_ d: Double) {
        valuePrefix()
        text += d.isFinite ? "\(d)" : "null"
    }
    mutating func raw(_ json: String) { valuePrefix(); text += json }

    static func appendQuoted(_ s: String, to out: inout String) { out += OTLPJSON.quoted(s) }
}
