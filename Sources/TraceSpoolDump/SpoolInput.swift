import SpoolBase
import SpoolFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the dump tool reads: a spool directory (all its segments, oldest first) or one segment file.
///
/// Resolving and listing never modify anything. Segment states are probed with non-blocking shared `flock`s that are
/// released at once (the same probe the spool library uses), so listing is safe beside live writers and uploaders.
package struct SpoolInput: Sendable {
    /// The path as given.
    package let path: String
    /// The directory holding the segments (the input itself, or the segment file's directory).
    package let directory: String
    /// The segment file when one file was given; nil for a directory.
    package let singleFile: String?

    /// Resolves `path`.
    ///
    /// - Throws: `DumpError.inputNotFound` when it is neither a directory nor a regular file; `.spool` when the
    ///   directory is a symbolic link. Any owner is accepted: inspecting another user's spool (as root) is allowed.
    package init(path: String) throws(DumpError) {
        let trimmed = FileSystem.trimmingTrailingSlashes(path)
        self.path = trimmed
        var st = stat()
        guard stat(trimmed, &st) == 0 else { throw .inputNotFound(path: trimmed) }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            do throws(SpoolError) {
                _ = try SpoolDirectory(path: trimmed, access: .inspect)
            } catch {
                throw .spool(error)
            }
            directory = trimmed
            singleFile = nil
        case S_IFREG:
            directory = FileSystem.split(trimmed).directory
            singleFile = trimmed
        default:
            throw .inputNotFound(path: trimmed)
        }
    }

    /// The path of `fileName` in the input's directory.
    package func path(of fileName: String) -> String {
        FileSystem.join(directory, fileName)
    }

    /// The segments to read, oldest first, with their current state and owner (segments of every owner: the dump
    /// tool only reads; `SpoolSegment.hasForeignOwner` tells those the uploader refuses).
    ///
    /// - Throws: `DumpError.spool` when the directory cannot be listed; `.inputNotFound` when the single file vanished.
    package func segments() throws(DumpError) -> [SpoolSegment] {
        if let file = singleFile {
            var st = stat()
            guard stat(file, &st) == 0 else { throw .inputNotFound(path: file) }
            let fileName = file.split(separator: "/").last.map(String.init) ?? file
            let name = SegmentName(fileName: fileName)
            let isOpen = (name?.state ?? SegmentName.state(ofFileName: fileName)) == .open
            let state = SegmentState(probing: file, isOpen: isOpen)
            var segment = describe(path: file, fileName: fileName, name: name, size: Int(st.st_size), state: state)
            segment.owner = UInt32(st.st_uid)
            return [segment]
        }
        let spool: SpoolDirectory
        let listing: [SegmentInfo]
        do throws(SpoolError) {
            spool = try SpoolDirectory(path: directory, access: .inspect)
            listing = try spool.segments()
        } catch {
            throw .spool(error)
        }
        return listing.map {
            var segment = describe(
                path: $0.path, fileName: $0.name.fileName, name: $0.name, size: $0.sizeBytes, state: $0.state)
            segment.owner = $0.owner
            segment.spoolOwner = spool.owner
            return segment
        }
    }

    private func describe(path: String, fileName: String, name: SegmentName?, size: Int, state: SegmentState)
        -> SpoolSegment
    {
        var segment = SpoolSegment(
            path: path, fileName: fileName, name: name, sizeBytes: size, state: state, uploading: false)
        segment.uploading = SegmentLease.isHeld(path: self.path(of: segment.leaseFileName))
        segment.checkpoint = SegmentCheckpoint.read(self.path(of: segment.checkpointFileName))
        return segment
    }
}
