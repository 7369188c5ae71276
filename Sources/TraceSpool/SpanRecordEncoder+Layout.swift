extension SpanRecordEncoder {
    /// The byte bounds of the encoder's stack-assembled paths, each derived from the wire format next to it. Every
    /// unchecked write into a `StackBytes` is covered by one of them: the writers check their inputs against them
    /// before writing, `StackBytes` asserts each write in debug builds, and the encoder's boundary tests drive the fast
    /// path to each edge.
    enum Layout {
        /// The largest field number whose tag takes one byte: a tag is the varint `field << 3 | wireType`, and
        /// `15 << 3 | 7` = 127 is the largest one-byte varint.
        static let maxOneByteTagField = 15

        /// The largest value a one-byte varint holds (the length of a short field).
        static let maxOneByteLength = 127

        /// The longest span name, attribute key and string value the stack paths write, in UTF-8 bytes; longer ones
        /// take the general path. Chosen so that each length takes one varint byte and that a `KeyValue` with a key
        /// this long and an integer, double or bool value needs no further check: its body is at most key tag and
        /// length 2 + key 99 + value tag and length 2 + `AnyValue` 11 (integer: tag and a 10-byte varint; a double
        /// takes 9, a bool 2) = 114 <= `maxOneByteLength`. A string value must also fit that length with its key
        /// (`writeKeyValue` checks).
        static let maxShortStringBytes = 99

        /// The most bytes `writeKeyValue` writes: the tag (`maxOneByteTagField`: 1 byte), the length (1 byte) and a
        /// body of at most `maxOneByteLength` = 129.
        static let maxKeyValueBytes = 1 + 1 + maxOneByteLength

        /// The most bytes `writePrefix` writes: trace id (tag, length, 16 bytes) 18 + parent span id (tag, length, 8
        /// bytes) 10 + name (tag, length, `maxShortStringBytes`) 101 + kind (tag, one-byte enum) 2 + flags (field 16:
        /// a two-byte tag, 4 bytes) 6 = 137.
        static let maxPrefixBytes = 18 + 10 + (2 + maxShortStringBytes) + 2 + 6

        /// The bytes `writeSuffix` writes: span id (tag, length, 8 bytes) 10 + start and end times (tag, 8 bytes
        /// each) 18 = 28.
        static let suffixBytes = 10 + 9 + 9

        /// The scratch of the fast path: 1,024 bytes, the largest size `withUnsafeTemporaryAllocation` always puts on
        /// the stack (larger ones may go to the heap).
        static let recordScratchBytes = 1024

        /// The most bytes of a record header in front of a fast-path body: the record type (1 byte) and the body
        /// length as a varint of at most 2 bytes (`maxBodyBytes` < 16,384 = 2^14).
        static let maxRecordHeaderBytes = 3

        /// The longest body the fast path assembles: the scratch less room for the header = 1,021.
        static let maxBodyBytes = recordScratchBytes - maxRecordHeaderBytes

        /// The body length up to which the fast path starts another attribute: one more attribute of
        /// `maxKeyValueBytes` and the suffix then still fit in `maxBodyBytes`: 1,021 - 129 - 28 = 864. (The prefix,
        /// `maxPrefixBytes`, is below it, so the first attribute always starts.)
        static let attributeStartLimit = maxBodyBytes - maxKeyValueBytes - suffixBytes

        /// The scratch of `appendPrefixFast`: exactly `maxPrefixBytes`.
        static let prefixScratchBytes = maxPrefixBytes

        /// The scratch of `appendKeyValueFast`: exactly `maxKeyValueBytes`.
        static let keyValueScratchBytes = maxKeyValueBytes

        /// The scratch for the general path's suffix: exactly `suffixBytes`.
        static let suffixScratchBytes = suffixBytes
    }
}
