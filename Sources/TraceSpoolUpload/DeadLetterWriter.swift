import SpoolBase
import SpoolFormat

/// Writes batches that failed permanently to the spool's dead-letter directory (`SpoolFile.deadLetterDirectoryName`),
/// as two files named by `SpoolFile.deadLetterStem`: `<stem>.pb` (the uncompressed OTLP request body, replayable with
/// `curl --data-binary`) and `<stem>.json` with the status, response body, time, segment and offsets. Request
/// headers are never written.
package struct DeadLetterWriter: Sendable {
    /// Creates a writer.
    package init() {}

    /// Writes one dead letter durably.
    ///
    /// - Parameters:
    ///   - batch: the batch (its spool directory decides where the files go).
    ///   - body: the uncompressed request body.
    ///   - status: the HTTP status (0 when there was none, e.g. a span too large to send).
    ///   - responseBody: the response body (kept up to 64 KiB).
    ///   - reason: a short explanation.
    /// - Returns: the path of the `.pb` file.
    /// - Throws: `UploadError.io` when the files cannot be written (the caller then defers the batch instead).
    @discardableResult
    package func write(
        batch: SpanBatch, body: [UInt8], status: Int, responseBody: [UInt8], reason: String
    ) throws(UploadError) -> String {
        let directory = FileSystem.join(batch.spoolPath, SpoolFile.deadLetterDirectoryName)
        let now = SystemClock.unixNanos()
        let stem = SpoolFile.deadLetterStem(
            unixNanos: now, segmentFileName: batch.segment, offset: batch.start.offset,
            recordsSent: batch.start.recordsSent, random: UInt32.random(in: 0 ... .max))
        let bodyFileName = SpoolFile.deadLetterBodyFileName(stem: stem)
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.number(status)
        json.key("reason"); json.string(reason)
        json.key("response_body"); json.string(String(decoding: responseBody.prefix(1 << 16), as: UTF8.self))
        json.key("time_unix_nano"); json.number(Int(now))
        json.key("segment"); json.string(batch.segment)
        json.key("start_offset"); json.number(batch.start.offset)
        json.key("start_records_skipped"); json.number(batch.start.recordsSent)
        json.key("end_offset"); json.number(batch.end.offset)
        json.key("end_records"); json.number(batch.end.recordsSent)
        json.key("spans"); json.number(batch.count)
        json.key("body_file"); json.string(bodyFileName)
        json.endObject()
        json.bytes.append(UInt8(ascii: "\n"))
        do throws(SystemCallError) {
            try FileSystem.makeDirectory(directory)
            try FileSystem.writeAtomically(body, to: FileSystem.join(directory, bodyFileName))
            try FileSystem.writeAtomically(
                json.bytes, to: FileSystem.join(directory, SpoolFile.deadLetterMetadataFileName(stem: stem)))
        } catch {
            throw UploadError(error)
        }
        return FileSystem.join(directory, bodyFileName)
    }
}
