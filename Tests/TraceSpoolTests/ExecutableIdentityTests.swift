import Foundation
import SpoolBase
import SpoolTestSupport
import Testing

@testable import TraceSpool

extension TracerTests {
    @Suite("Executable identity: path, GNU build id from ELF notes, fingerprint fallback, malformed files")
    struct ExecutableIdentityTests {
        static let buildID: [UInt8] = Array(0..<20).map { UInt8($0 * 7 + 3) }

        /// A small ELF file: the header, a PT_LOAD and a PT_NOTE program header, and a note segment holding an ABI
        /// tag note and (unless `buildID` is nil) an `NT_GNU_BUILD_ID` note.
        static func makeELF(is64: Bool, little: Bool, buildID: [UInt8]?) -> [UInt8] {
            var out: [UInt8] = []
            func put(_ value: Int, _ size: Int) {
                for i in 0..<size {
                    let shift = 8 * (little ? i : size - 1 - i)
                    out.append(UInt8(truncatingIfNeeded: value >> shift))
                }
            }
            func note(_ type: Int, _ descriptor: [UInt8]) -> [UInt8] {
                var saved = out
                swap(&saved, &out)
                put(4, 4)
                put(descriptor.count, 4)
                put(type, 4)
                out += Array("GNU\0".utf8) + descriptor
                while out.count % 4 != 0 { out.append(0) }
                swap(&saved, &out)
                return saved
            }
            var notes = note(1, [0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0])
            if let buildID { notes += note(3, buildID) }
            let headerSize = is64 ? 64 : 52
            let entrySize = is64 ? 56 : 32
            let notesOffset = headerSize + 2 * entrySize
            out = [0x7F, 0x45, 0x4C, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1] + [UInt8](repeating: 0, count: 9)
            put(2, 2)  // e_type
            put(62, 2)  // e_machine
            put(1, 4)  // e_version
            put(0, is64 ? 8 : 4)  // e_entry
            put(headerSize, is64 ? 8 : 4)  // e_phoff
            put(0, is64 ? 8 : 4)  // e_shoff
            put(0, 4)  // e_flags
            put(headerSize, 2)
            put(entrySize, 2)
            put(2, 2)  // e_phnum
            put(0, 2)
            put(0, 2)
            put(0, 2)
            for (type, offset, size) in [(1, 0, notesOffset), (4, notesOffset, notes.count)] {
                if is64 {
                    put(type, 4)
                    put(4, 4)  // p_flags
                    put(offset, 8)
                    put(0, 8)
                    put(0, 8)
                    put(size, 8)
                    put(size, 8)
                    put(4, 8)  // p_align
                } else {
                    put(type, 4)
                    put(offset, 4)
                    put(0, 4)
                    put(0, 4)
                    put(size, 4)
                    put(size, 4)
                    put(4, 4)  // p_flags
                    put(4, 4)  // p_align
                }
            }
            return out + notes
        }

        static func parse(_ bytes: [UInt8]) throws(ExecutableIdentityError) -> [UInt8]? {
            try ExecutableIdentity.gnuBuildID { offset, count in
                guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else { return nil }
                return Array(bytes[offset..<offset + count])
            }
        }

        static func temporaryFile(_ bytes: [UInt8]) throws -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("elf-\(UUID().uuidString)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        @Test("the build id note of 64-bit little-endian and 32-bit big-endian files, read from disk")
        func smallELF() throws {
            for (is64, little) in [(true, true), (false, false), (true, false), (false, true)] {
                let bytes = Self.makeELF(is64: is64, little: little, buildID: Self.buildID)
                #expect(try Self.parse(bytes) == Self.buildID, "is64 \(is64) little \(little)")
                let path = try Self.temporaryFile(bytes)
                defer { try? FileManager.default.removeItem(atPath: path) }
                let identity = ExecutableIdentity.read(fileAt: path)
                #expect(identity.gnuBuildID == Hex.string(of: Self.buildID))
                #expect(identity.fingerprint == nil)
                #expect(identity.error == nil)
            }
        }

        @Test("no build id note: the fingerprint identifies the file (its size and ends); a script is not ELF")
        func fingerprintFallback() throws {
            let bytes = Self.makeELF(is64: true, little: true, buildID: nil)
            #expect(try Self.parse(bytes) == nil)
            let path = try Self.temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let identity = ExecutableIdentity.read(fileAt: path)
            #expect(identity.gnuBuildID == nil)
            #expect(identity.error == nil)
            let fingerprint = try #require(identity.fingerprint)
            #expect(fingerprint.hasPrefix("fnv1a64:") && fingerprint.hasSuffix("-\(bytes.count)"))
            var changed = bytes
            changed[changed.count - 1] ^= 1
            let other = try Self.temporaryFile(changed)
            defer { try? FileManager.default.removeItem(atPath: other) }
            #expect(ExecutableIdentity.read(fileAt: other).fingerprint != fingerprint)

            let script = try Self.temporaryFile(Array("#!/bin/sh\necho hi\n".utf8))
            defer { try? FileManager.default.removeItem(atPath: script) }
            let scriptIdentity = ExecutableIdentity.read(fileAt: script)
            #expect(scriptIdentity.error == ExecutableIdentityError.notELF.description)
            #expect(scriptIdentity.fingerprint?.hasPrefix("fnv1a64:") == true)
            #expect(ExecutableIdentity.read(fileAt: "/nonexistent/app").error?.hasPrefix("open ") == true)
        }

        @Test("every truncated prefix throws malformed (or not ELF); garbled copies never trap")
        func truncatedAndGarbled() throws {
            let bytes = Self.makeELF(is64: true, little: true, buildID: Self.buildID)
            for length in 0..<bytes.count {
                #expect(throws: ExecutableIdentityError.self, "prefix \(length)") {
                    try Self.parse(Array(bytes.prefix(length)))
                }
            }
            var random = SplitMix64(seed: 2)
            var found = 0
            for _ in 0..<5000 {
                var garbled = bytes
                for _ in 0..<3 { garbled[Int(random.next() % UInt64(garbled.count))] = UInt8(random.next() & 0xFF) }
                if (try? Self.parse(garbled)) == Self.buildID { found += 1 }
            }
            #expect(found > 0)
        }

        @Test("the running test binary: /proc/self/exe's target and the build id readelf -n shows")
        func currentExecutable() throws {
            #if os(Linux)
                let identity = ExecutableIdentity.current()
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
                #expect(identity.path == target)
                let readelf = Process()
                readelf.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                readelf.arguments = ["readelf", "-n", target]
                let pipe = Pipe()
                readelf.standardOutput = pipe
                try readelf.run()
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                readelf.waitUntilExit()
                let line = output.split(separator: "\n").first { $0.contains("Build ID:") }
                let expected = line.map { String($0.split(separator: " ").last ?? "") }
                #expect(identity.gnuBuildID == expected)
                #expect((identity.fingerprint == nil) == (expected != nil))

                // A copy cut to its first 4 KiB, and each shorter prefix of those: no trap, the id or an error.
                let handle = try #require(FileHandle(forReadingAtPath: target))
                let head = [UInt8](handle.readData(ofLength: 4096))
                try handle.close()
                for length in stride(from: 0, through: head.count, by: 7) {
                    let result = Result { () throws(ExecutableIdentityError) in
                        try Self.parse(Array(head.prefix(length)))
                    }
                    if case .success(let id?) = result { #expect(Hex.string(of: id) == expected) }
                }
            #endif
        }
    }
}
