extension ExecutableIdentity {
    /// The most program headers read from one file; an ELF header claiming more is malformed.
    static let maximumProgramHeaders = 4096
    /// The most bytes read of one `PT_NOTE` segment; a larger one is skipped.
    static let maximumNoteSegmentBytes = 1 << 20

    /// The GNU build id of the ELF file that `read` gives access to: the descriptor of its `NT_GNU_BUILD_ID` note
    /// (name `GNU`), found through the program headers' `PT_NOTE` segments. 32- and 64-bit, little- and big-endian
    /// files; every offset and size is checked against what `read` returns, so a truncated or garbled file never
    /// traps.
    ///
    /// - Parameter read: `count` bytes at file offset `offset`, or nil when the file has fewer.
    /// - Returns: the build id bytes, or nil for a well-formed ELF file without that note.
    /// - Throws: `ExecutableIdentityError.notELF` when the file does not start with the ELF magic,
    ///   `.malformed` when a header or a note segment lies beyond the file or has an impossible size.
    static func gnuBuildID(
        _ read: (_ offset: Int, _ count: Int) -> [UInt8]?
    ) throws(ExecutableIdentityError) -> [UInt8]? {
        guard let ident = read(0, 16), ident[0] == 0x7F, ident[1] == 0x45, ident[2] == 0x4C, ident[3] == 0x46 else {
            throw .notELF
        }
        let is64: Bool
        switch ident[4] {
        case 1: is64 = false
        case 2: is64 = true
        default: throw .malformed("unknown ELF class \(ident[4])")
        }
        let little: Bool
        switch ident[5] {
        case 1: little = true
        case 2: little = false
        default: throw .malformed("unknown ELF data encoding \(ident[5])")
        }
        guard let header = read(0, is64 ? 64 : 52) else { throw .malformed("truncated ELF header") }
        let fields = ELFFields(little: little)
        guard let tableOffset = is64 ? fields.uint(header, 0x20, 8) : fields.uint(header, 0x1C, 4),
            let entrySize = fields.uint(header, is64 ? 0x36 : 0x2A, 2),
            let count = fields.uint(header, is64 ? 0x38 : 0x2C, 2)
        else { throw .malformed("truncated ELF header") }
        if count == 0 { return nil }
        guard entrySize >= (is64 ? 56 : 32), entrySize <= 1024, count <= maximumProgramHeaders,
            tableOffset <= Int.max / 2
        else {
            throw .malformed("impossible program header table (\(count) entries of \(entrySize) bytes)")
        }
        guard let table = read(tableOffset, entrySize * count) else {
            throw .malformed("program header table beyond the end of the file")
        }
        var truncatedNote = false
        for index in 0..<count {
            let base = index * entrySize
            guard let type = fields.uint(table, base, 4) else { break }
            guard type == 4 else { continue }  // PT_NOTE
            guard let offset = fields.uint(table, base + (is64 ? 8 : 4), is64 ? 8 : 4),
                let size = fields.uint(table, base + (is64 ? 32 : 16), is64 ? 8 : 4),
                let align = fields.uint(table, base + (is64 ? 48 : 28), is64 ? 8 : 4)
            else { continue }
            guard size <= maximumNoteSegmentBytes, offset <= Int.max / 2 else { continue }
            guard let notes = read(offset, size) else {
                truncatedNote = true
                continue
            }
            if let id = buildIDNote(in: notes, alignment: align == 8 ? 8 : 4, fields) { return id }
        }
        if truncatedNote { throw .malformed("note segment beyond the end of the file") }
        return nil
    }

    /// The descriptor of the first `NT_GNU_BUILD_ID` note named `GNU` in a `PT_NOTE` segment's bytes; nil when
    /// there is none or the notes run past the segment.
    private static func buildIDNote(in notes: [UInt8], alignment: Int, _ fields: ELFFields) -> [UInt8]? {
        func rounded(_ value: Int) -> Int { (value + alignment - 1) & ~(alignment - 1) }
        var position = 0
        while position + 12 <= notes.count {
            guard let nameSize = fields.uint(notes, position, 4),
                let descriptorSize = fields.uint(notes, position + 4, 4),
                let type = fields.uint(notes, position + 8, 4)
            else { return nil }
            let nameStart = position + 12
            let descriptorStart = nameStart + rounded(nameSize)
            guard nameStart + nameSize <= notes.count, descriptorStart + descriptorSize <= notes.count else {
                return nil
            }
            if type == 3, nameSize == 4, notes[nameStart..<nameStart + 4].elementsEqual([0x47, 0x4E, 0x55, 0]),
                descriptorSize > 0
            {
                return Array(notes[descriptorStart..<descriptorStart + descriptorSize])
            }
            position = descriptorStart + rounded(descriptorSize)
        }
        return nil
    }
}

/// Reads unsigned integers of an ELF file's byte order out of byte arrays, bounds-checked.
struct ELFFields {
    /// Whether the file is little-endian.
    var little: Bool

    /// The `size`-byte unsigned integer at `offset` of `bytes` as an `Int`; nil when it lies outside `bytes` or
    /// does not fit an `Int`.
    func uint(_ bytes: [UInt8], _ offset: Int, _ size: Int) -> Int? {
        guard offset >= 0, size <= 8, offset <= bytes.count - size else { return nil }
        var value: UInt64 = 0
        for i in 0..<size {
            let byte = UInt64(bytes[little ? offset + size - 1 - i : offset + i])
            value = value << 8 | byte
        }
        return value <= UInt64(Int.max) ? Int(value) : nil
    }
}
