import OTLPWire

extension ProtobufWriter {
    /// Appends raw bytes with one `memcpy`. (`appendRaw(_: UnsafeRawBufferPointer)` goes through the generic
    /// `Sequence` path, byte by byte; a typed `UnsafeBufferPointer<UInt8>` takes the contiguous fast path.)
    @inline(__always)
    mutating func appendBytes(_ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        // The bytes are only read as UInt8 for the copy; no typed access of the memory outlives this call.
        bytes.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: raw.count))
    }
}
