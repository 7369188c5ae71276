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
    /// - Throws: `DumpError.inputNotFound` when it does not exist; `.notSpoolData` when it is neither a directory nor
    ///   a regular file, a directory that is not empty but holds no spool file (`SpoolFile`), or a file without a
    ///   segment name that does not start with a segment header; `.spool` when the directory fails the spool
    ///   library's checks (symbolic link) or cannot be listed. Any owner is accepted: inspecting another user's spool
    ///   (as root) is allowed.
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
            try Self.checkHoldsSpoolFiles(trimmed)
            directory = trimmed
            singleFile = nil
        case S_IFREG:
            try Self.checkIsSegment(trimmed)
            directory = FileSystem.split(trimmed).directory
            singleFile = trimmed
        default:
            throw .notSpoolData(path: trimmed, what: .notAFileOrDirectory(kind: Self.kind(of: st.st_mode)))
        }
    }

    /// Throws `.notSpoolData` when the directory has entries and none of them is a spool file; an empty directory is
    /// a spool whose segments were all delivered.
    private static func checkHoldsSpoolFiles(_ directory: String) throws(DumpError) {
        let names: [String]
        do throws(SystemCallError) {
            names = try FileSystem.listDirectory(directory)
        } catch {
            throw .spool(.io(operation: error.operation, path: error.path, errno: error.errno))
        }
        guard !names.isEmpty, names.allSatisfy({ SpoolFile(fileName: $0) == .other }) else { return }
        throw .notSpoolData(path: directory, what: .directoryWithoutSpoolFiles(entries: names.count))
    }

    /// Throws `.notSpoolData` for a file without a segment extension (`.open`, `.seg`, nor a salvaged original's)
    /// whose header does not read; a file named as a segment is a segment, damaged when its header does not read.
    private static func checkIsSegment(_ file: String) throws(DumpError) {
        let fileName = FileSystem.split(file).name
        guard SegmentName.state(ofFileName: fileName) == nil, SegmentName(salvagedOriginalFileName: fileName) == nil
        else { return }
        do throws(SpoolError) {
            _ = try SegmentReader(path: file)
        } catch {
            guard case .badSegmentHeader(_, let problem) = error else { return }
            throw .notSpoolData(path: file, what: .notASegment(problem: problem))
        }
    }

    /// What a file of mode `mode` is, in words: "a character device", "a socket", ...
    private static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a named pipe"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
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
            let retired = SegmentName(salvagedOriginalFileName: fileName)
            // A salvaged original keeps its companions' names: the segment name it had gives its base.
            let name = SegmentName(fileName: fileName) ?? retired
            let isOpen = retired == nil && (name?.state ?? SegmentName.state(ofFileName: fileName)) == .open
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
