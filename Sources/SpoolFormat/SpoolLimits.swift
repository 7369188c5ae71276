/// The size limits of spool format v1, in bytes.
///
/// Writers never produce values beyond these limits. Readers treat a frame or header that claims more as damage and
/// resynchronise after it (see `Spool/FORMAT.md`, "Limits"), so a hostile or corrupted file can never make a reader
/// allocate more than about `maxFramePayloadBytes * 2 + maxSegmentHeaderBytes`.
package enum SpoolLimits {
    /// The largest segment header, magic to CRC inclusive: 1 MiB.
    package static let maxSegmentHeaderBytes = 1 << 20
    /// The largest frame payload, stored or uncompressed: 16 MiB.
    package static let maxFramePayloadBytes = 16 << 20
    /// The largest single record body: 4 MiB. A writer drops a larger record and counts it as `recordTooLarge`.
    package static let maxRecordBytes = 4 << 20
    /// The largest segment file: 1 GiB. Writers rotate well before (64 MiB by default); readers report any bytes
    /// beyond this offset as damage and do not read them.
    package static let maxSegmentBytes = 1 << 30
    /// The longest host name a segment header or file name carries (longer names are cut): 64 bytes.
    package static let maxHostNameBytes = 64
}
