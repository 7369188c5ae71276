/// One golden vector: a segment file's bytes and what reading it must yield.
package struct GoldenVector: Sendable {
    /// The file name in `Spool/vectors/` (the extension `.seg` or `.open` matters to the reader).
    package var name: String
    /// Two lines for `Spool/vectors/README.md`: what the file holds, and what a reader must report.
    package var summary: (String, String)
    /// The file contents.
    package var bytes: [UInt8]
    /// The expected read result, stored as `<name>.expected.json`.
    package var expected: ExpectedRead

    /// Creates a vector.
    package init(name: String, summary: (String, String), bytes: [UInt8], expected: ExpectedRead) {
        self.name = name
        self.summary = summary
        self.bytes = bytes
        self.expected = expected
    }

    /// The file name of the expected read result.
    package var expectedFileName: String { name + ".expected.json" }
}
