import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What listing a spool directory found: the segments, and the files named like segments that a reader that ships
/// data must not read (`Spool/FORMAT.md`, "Permissions and ownership").
package struct SpoolListing: Sendable, Equatable {
    /// A file named like a segment (`*.seg`, `*.open`) that is refused.
    package struct RefusedFile: Sendable, Equatable, CustomStringConvertible {
        /// Why a file is refused.
        package enum Reason: Sendable, Equatable {
            /// Its name ends in `.seg` or `.open` but does not parse as a segment name.
            case unparsableName
            /// It is not a regular file (a symbolic link, a directory, a FIFO).
            case notARegularFile
            /// It belongs to user `owner`, not to the spool directory's owner `expected`.
            case foreignOwner(owner: UInt32, expected: UInt32)
        }

        /// The file's name in the directory.
        package var fileName: String
        /// Why it is refused.
        package var reason: Reason

        /// Why, in words, and what to do.
        package var description: String {
            switch reason {
            case .unparsableName:
                "\(fileName): not a valid segment name; left in place and not read (remove or rename it)"
            case .notARegularFile:
                "\(fileName): not a regular file; left in place and not read (remove it)"
            case .foreignOwner(let owner, let expected):
                "\(fileName): owned by uid \(owner), not by the spool's owner (uid \(expected)); left in place and "
                    + "not read: another user may have planted it (inspect it, then remove it)"
            }
        }
    }

    /// The segments a reader may read, oldest first.
    package var segments: [SegmentInfo] = []
    /// The files named like segments that are refused, in name order.
    package var refused: [RefusedFile] = []
}

extension SpoolDirectory {
    /// Lists the directory: segments (oldest first, with size, owner and state) and the refused files named like
    /// segments. For `.ship` access a segment not owned by the directory's owner is refused; for other access it is
    /// listed (with its owner). Nothing is modified.
    ///
    /// - Throws: `SpoolError.io` when the directory cannot be read.
    package func listing() throws(SpoolError) -> SpoolListing {
        let fileNames: [String]
        do throws(SystemCallError) {
            fileNames = try FileSystem.listDirectory(path)
        } catch {
            throw SpoolError(error)
        }
        var listing = SpoolListing()
        var names: [SegmentName] = []
        for fileName in fileNames.sorted() {
            if let name = SegmentName(fileName: fileName) {
                names.append(name)
            } else if SegmentName.state(ofFileName: fileName) != nil {
                listing.refused.append(.init(fileName: fileName, reason: .unparsableName))
            }
        }
        for name in names.sorted() {
            let full = path(of: name.fileName)
            guard case .success(let status) = FileStatus.of(path: full) else { continue }
            guard status.kind == .regular else {
                listing.refused.append(.init(fileName: name.fileName, reason: .notARegularFile))
                continue
            }
            if case .ship = access, status.uid != owner {
                listing.refused.append(
                    .init(fileName: name.fileName, reason: .foreignOwner(owner: status.uid, expected: owner)))
                continue
            }
            let state = SegmentState(probing: full, isOpen: name.state == .open)
            listing.segments.append(
                SegmentInfo(name: name, path: full, sizeBytes: status.size, owner: status.uid, state: state))
        }
        return listing
    }
}
