import CSpoolSupport
import Logging
import SpoolTestSupport
import Testing

@testable import TraceSpool

extension TracerTests {
    /// The token grammar of each credential shape (Docs/Tracer.md, "Redaction"), at its edges.
    @Suite("Credential scanner")
    struct CredentialScannerTests {
        /// A redactor with the default rules and no log output.
        static func redactor(_ configuration: RedactionConfiguration = RedactionConfiguration()) -> Redactor {
            var logger = Logger(label: "scanner-tests")
            logger.logLevel = .critical
            return Redactor(configuration, logger: logger)
        }

        static let alnum36 = "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zQ7r0"

        @Test(
            "each shape is replaced inside its value, the rest of the value kept",
            arguments: [
                ("key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_-9 end", "key [REDACTED:openai-key] end"),
                ("sk-T3BlbkFJAb3dEf6hIj9kLm2n", "[REDACTED:openai-key]"),
                ("x-api-key: sk-ant-api03-Ab3dEf6hIj9kLm2nOp5q, next", "x-api-key: [REDACTED:anthropic-key], next"),
                (
                    "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln==;",
                    "Authorization: Bearer [REDACTED:bearer-token];"
                ),
                ("auth=bearer\tabcdefghijklmnop/+~", "auth=bearer\t[REDACTED:bearer-token]"),
                ("id AKIAIOSFODNN7EXAMPLE.", "id [REDACTED:aws-access-key-id]."),
                ("(ASIAIOSFODNN7EXAMPL3)", "([REDACTED:aws-access-key-id])"),
                ("t=ghp_\(alnum36)", "t=[REDACTED:github-token]"),
                (
                    "gho_\(alnum36) ghu_\(alnum36) ghs_\(alnum36) ghr_\(alnum36)",
                    "[REDACTED:github-token] [REDACTED:github-token] [REDACTED:github-token] [REDACTED:github-token]"
                ),
                ("pat github_pat_11ABCDEFG0abcdefghij_KLMNOP", "pat [REDACTED:github-token]"),
                (
                    "a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nb",
                    "a\n[REDACTED:private-key]\nb"
                ),
                ("-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----", "[REDACTED:private-key]"),
                ("cut -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk…[truncated]", "cut [REDACTED:private-key]"),
                (
                    "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END RSA PRIVATE KEY-----\n-----END EC PRIVATE KEY----- z",
                    "[REDACTED:private-key] z"
                ),
                (
                    "é sk-Ab3dEf6hIj9kLm2nOp5q é AKIAIOSFODNN7EXAMPLE",
                    "é [REDACTED:openai-key] é [REDACTED:aws-access-key-id]"
                ),
            ])
        func redactsShape(value: String, expected: String) {
            let redactor = Self.redactor()
            #expect(redactor.redact(value) == expected)
            #expect(redactor.valuesRedacted == 1, "one value, however many credentials it held")
        }

        @Test(
            "near misses are kept as they are",
            arguments: [
                "sk-short-key", "sk-Ab3dEf6hIj9kLm2nOp5",  // 19 characters after sk-
                "task-force-alpha-bravo-charlie-delta", "risk-Ab3dEf6hIj9kLm2nOp5qRs",  // sk- after a letter
                "sk-ant-Ab3dEf6hIj9kLm2nOp5", "sk-ant-api03-short",  // fewer than 20 after sk-ant-
                "Bearer of bad news, all of it", "Bearer abcdefghijklmno", "unbearer abcdefghijklmnopqrst",
                "Bearer:abcdefghijklmnopqrstuvwx",  // no space after Bearer
                "AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLEX", "XAKIAIOSFODNN7EXAMPLE", "akiaiosfodnn7example___",
                "AKIAiosfodnn7example", "AKIDIOSFODNN7EXAMPLE",
                "ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zQ7", "ghx_\(alnum36)", "my_ghp_\(alnum36)",
                "github_pat_11ABCDEFG0abcdefghij",
                "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqh\n-----END PUBLIC KEY-----",
                "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----",
                "gpt-4o-mini, session-42 and some other harmless text of any length",
            ])
        func keepsNearMiss(value: String) {
            let redactor = Self.redactor()
            #expect(redactor.redact(value) == value)
            #expect(redactor.valuesRedacted == 0)
        }

        /// The anchor byte with the neighbours each shape gives it: - after k (sk-) or before - (PEM), _ after b
        /// (github_pat_) or one of pousr (gh?_), A before K or S (AKIA, ASIA), B or b before ea in either case
        /// (Bearer).
        static func isCandidate(_ before: UInt8?, _ byte: UInt8, _ after: UInt8?, _ afterNext: UInt8?) -> Bool {
            switch byte {
            case UInt8(ascii: "-"): before == UInt8(ascii: "k") || after == UInt8(ascii: "-")
            case UInt8(ascii: "_"): before.map { "bpousr".utf8.contains($0) } ?? false
            case UInt8(ascii: "A"): after == UInt8(ascii: "K") || after == UInt8(ascii: "S")
            case UInt8(ascii: "B"), UInt8(ascii: "b"):
                after.map { $0 | 0x20 == UInt8(ascii: "e") } ?? false
                    && afterNext.map { $0 | 0x20 == UInt8(ascii: "a") } ?? false
            default: false
            }
        }

        /// `isCandidate` for the byte at `i` of `run`.
        static func isCandidate(_ run: [UInt8], at i: Int) -> Bool {
            isCandidate(
                i > 0 ? run[i - 1] : nil, run[i], i + 1 < run.count ? run[i + 1] : nil,
                i + 2 < run.count ? run[i + 2] : nil)
        }

        /// The prefilter's index for `run` from `from`, the same with and without the 32-byte steps (checked).
        static func candidate(in run: [UInt8], from: Int = 0) -> Int {
            run.withUnsafeBufferPointer {
                let base = $0.baseAddress ?? UnsafePointer(bitPattern: 1)!
                let found = tracespool_find_credential_candidate(base, from, $0.count)
                let narrow = tracespool_find_credential_candidate_narrow(base, from, $0.count)
                #expect(found == narrow, "\(run) from \(from): \(found) with 32-byte steps, \(narrow) without")
                return found
            }
        }

        @Test("the prefilter finds the first candidate from every start of runs of every length, steps and tail alike")
        func prefilterStartsAndLengths() {
            #if arch(x86_64) && os(Linux)
                // The 32-byte steps run where the CPU has AVX2 (so both paths are compared on such a machine).
                let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
                #expect((tracespool_has_wide_vectors() == 1) == flags.contains(" avx2"))
            #endif
            var random = SplitMix64(seed: 7)
            let bytes = Array("kK-_bpousrAKSeEaABx ".utf8)
            // Past two 32-byte steps and a 16-byte one.
            for length in 0...84 {
                for _ in 0..<24 {
                    // Mostly spaces, so that the first candidate falls anywhere, in the vector steps or after them.
                    let run = (0..<length).map { _ in
                        Int.random(in: 0..<8, using: &random) == 0 ? bytes.randomElement(using: &random)! : 0x20
                    }
                    for from in 0...length {
                        let expected = (from..<length).first { Self.isCandidate(run, at: $0) }
                        #expect(Self.candidate(in: run, from: from) == expected ?? length, "\(run) from \(from)")
                    }
                }
            }
        }

        @Test("values shorter than the shortest shape are not scanned; the prefilter stops at the anchor pairs only")
        func prefilter() {
            #expect(CredentialScanner.minimumMatchBytes == "AKIAIOSFODNN7EXAMPLE".utf8.count)
            let neighbours = Array("kK-_bpousrAKSeEaABx ".utf8) + [0x00, 0x80, 0xFF]
            func found(_ run: [UInt8]) -> Int { Self.candidate(in: run) }
            // Each byte value at each position of a run of spaces longer than two vector steps, next to each neighbour
            // before and after it.
            for position in 0..<40 {
                for byte in UInt8.min...UInt8.max {
                    for neighbour in neighbours {
                        for offset in [-1, 1] where (0..<40).contains(position + offset) {
                            var run = [UInt8](repeating: 0x20, count: 40)
                            run[position] = byte
                            run[position + offset] = neighbour
                            let expected = run.indices.first { Self.isCandidate(run, at: $0) }
                            #expect(
                                found(run) == expected ?? 40, "\(byte) at \(position), \(neighbour) at \(offset)")
                        }
                    }
                }
            }
            // The bearer anchor's two neighbours after it, each pair at each position (the last ones reach the end).
            for position in 0..<40 {
                for byte in Array("Bb-A".utf8) {
                    for next in neighbours {
                        for afterNext in neighbours {
                            var run = [UInt8](repeating: 0x20, count: 40)
                            run[position] = byte
                            if position + 1 < 40 { run[position + 1] = next }
                            if position + 2 < 40 { run[position + 2] = afterNext }
                            let expected = run.indices.first { Self.isCandidate(run, at: $0) }
                            #expect(found(run) == expected ?? 40, "\(byte) \(next) \(afterNext) at \(position)")
                        }
                    }
                }
            }
            // Starting past 0, the byte before the start is still a neighbour.
            var key = Array("xsk-Ab3dEf6hIj9kLm2nOp5qRs".utf8)
            key.withUnsafeBufferPointer { #expect(tracespool_find_credential_candidate($0.baseAddress!, 3, 27) == 3) }
            var short = "AKIAIOSFODNN7EXAMPL"
            short.withUTF8 { #expect(!CredentialScanner.containsCredential($0)) }
        }

        @Test(
            "the vector scan finds what a byte-by-byte scan finds, at every offset, adjacent and overlapping",
            arguments: 0..<4)
        func sameAsByteByByte(seed: UInt64) {
            let pieces = [
                "sk-Ab3dEf6hIj9kLm2nOp5qRs", "sk-ant-api03-Ab3dEf6hIj9kLm2nOp5q", "AKIAIOSFODNN7EXAMPLE",
                "Bearer abcdefghijklmnop1234", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                "github_pat_11ABCDEFG0abcdefghijklmn",
                "-----BEGIN RSA PRIVATE KEY-----\nMII\n-----END RSA PRIVATE KEY-----",
                "task-sk-", "ASIA", "bearer", "gho_", "_", "-", "A", "b", " ", "x", "é", "sk-ant-", "0123456789abcdef",
            ]
            var random = SplitMix64(seed: seed)
            for _ in 0..<400 {
                var value = ""
                for _ in 0..<Int.random(in: 0..<12, using: &random) { value += pieces.randomElement(using: &random)! }
                var bytes = Array(value.utf8)
                bytes.withUnsafeBufferPointer { b in
                    for from in [0, 1, 3, 7, 9] where from <= b.count {
                        #expect(
                            CredentialScanner.firstMatch(in: b, from: from) == Self.byteByByteFirstMatch(b, from: from),
                            "\(value.debugDescription) from \(from)")
                    }
                }
                bytes.removeAll()
            }
        }

        /// The scan the vector one must agree with: every start position in order, each shape tried there.
        static func byteByByteFirstMatch(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> CredentialScanner.Match? {
            guard b.count - start >= CredentialScanner.minimumMatchBytes else { return nil }
            for i in start...(b.count - CredentialScanner.minimumMatchBytes) {
                let found: CredentialScanner.Match? =
                    switch b[i] {
                    case UInt8(ascii: "s"): CredentialScanner.apiKey(at: i, in: b)
                    case UInt8(ascii: "B"), UInt8(ascii: "b"): CredentialScanner.bearerToken(at: i, in: b)
                    case UInt8(ascii: "A"): CredentialScanner.awsAccessKeyID(at: i, in: b)
                    case UInt8(ascii: "g"): CredentialScanner.githubToken(at: i, in: b)
                    case UInt8(ascii: "-"): CredentialScanner.privateKey(at: i, in: b)
                    default: nil
                    }
                if let found { return found }
            }
            return nil
        }

        @Test("a bearer token after a tab is redacted in the messages' JSON too, where the tab is written \\t")
        func bearerAfterEscapedTab() {
            let content = "use Bearer\tabcdefghijklmnop1234 now"
            let json = ChatMessage.json([ChatMessage(role: "user", content: content)])
            #expect(json.contains(#"Bearer\tabcdefghijklmnop1234"#), "the tab is escaped: \(json)")
            let redactor = Self.redactor()
            #expect(redactor.redact(content) == "use Bearer\t[REDACTED:bearer-token] now")
            let redacted = redactor.redact(json)
            #expect(!redacted.contains("abcdefghijklmnop1234"), "\(redacted)")
            #expect(redacted.contains(#"Bearer\t[REDACTED:bearer-token] now"#), "\(redacted)")
        }

        @Test(
            "a credential after a control character is redacted in the messages' JSON too, where it follows an escape",
            arguments: [
                ("sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"),
                ("AKIAIOSFODNN7EXAMPLE", "IOSFODNN7EXAMPLE"), ("Bearer abcdefghijklmnop1234", "abcdefghijklmnop1234"),
                ("ghp_\(alnum36)", alnum36), ("github_pat_11ABCDEFG0abcdefghijklmn", "11ABCDEFG0abcdefghijklmn"),
            ])
        func credentialAfterEscape(credential: String, secret: String) {
            for control in ["\n", "\r", "\t", "\u{8}", "\u{c}", "\u{1}", "\u{1f}"] {
                let content = "first line\(control)\(credential) rest"
                let json = ChatMessage.json([ChatMessage(role: "user", content: content)])
                let redactor = Self.redactor()
                #expect(!redactor.redact(content).contains(secret), "\(content.debugDescription)")
                let redacted = redactor.redact(json)
                #expect(!redacted.contains(secret), "\(redacted)")
            }
            // A letter that ends no escape still comes before a word, not a credential.
            let redactor = Self.redactor()
            #expect(redactor.redact("x\(credential)") == "x\(credential)")
        }

        @Test("several credentials in one value, and credentials that follow one another")
        func several() {
            let redactor = Self.redactor()
            let value = "a AKIAIOSFODNN7EXAMPLE b sk-Ab3dEf6hIj9kLm2nOp5qRs c Bearer abcdefghijklmnop1234"
            #expect(
                redactor.redact(value)
                    == "a [REDACTED:aws-access-key-id] b [REDACTED:openai-key] c Bearer [REDACTED:bearer-token]")
            var bytes = "AKIAIOSFODNN7EXAMPLE sk-Ab3dEf6hIj9kLm2nOp5qRs"
            let matches = bytes.withUTF8 { b -> [CredentialScanner.Match] in
                var found: [CredentialScanner.Match] = []
                var from = 0
                while let m = CredentialScanner.firstMatch(in: b, from: from) {
                    found.append(m)
                    from = m.end
                }
                return found
            }
            #expect(
                matches == [
                    .init(start: 0, end: 20, shape: .awsAccessKeyID), .init(start: 21, end: 46, shape: .openAIKey),
                ])
        }

        @Test("key patterns: exact names and globs, ASCII case-insensitive")
        func keyPatterns() {
            let redactor = Self.redactor(
                RedactionConfiguration(keys: ["*password*", "http.request.header.authorization", "api.*.token", "*"]))
            #expect(redactor.redactsKey("db.password"))
            #expect(redactor.redactsKey("User.PASSWORD_hash"))
            #expect(redactor.redactsKey("http.request.header.authorization"))
            #expect(redactor.redactsKey("HTTP.Request.Header.Authorization"))
            #expect(redactor.redactsKey("api.v1.token"))
            let narrow = Self.redactor(RedactionConfiguration(keys: ["*password*", "api.*.token", "exact"]))
            #expect(narrow.redactsKey("password"))
            #expect(!narrow.redactsKey("passwd"))
            #expect(!narrow.redactsKey("api.v1.tokens"))
            #expect(narrow.redactsKey("api..token"))
            #expect(!narrow.redactsKey("exact.name"))
            #expect(!narrow.redactsKey("inexact"))
            #expect(!Self.redactor().redactsKey("password"), "no key is redacted by default")
            #expect(RedactionKeyPattern("a*b*c").matches("aXbYbZc"))
            #expect(!RedactionKeyPattern("a*b*c").matches("aXbYbZ"))
            #expect(RedactionKeyPattern("**").matches(""))
            #expect(RedactionKeyPattern("é*").matches("éclair"))
        }

        @Test("each marker names its rule")
        func markers() {
            for shape in CredentialShape.allCases {
                #expect("\(shape.marker)" == "[REDACTED:\(shape.name)]")
            }
        }

        @Test("credential shapes off: values are kept")
        func shapesOff() {
            let redactor = Self.redactor(RedactionConfiguration(credentialShapes: false))
            #expect(redactor.redact("AKIAIOSFODNN7EXAMPLE") == "AKIAIOSFODNN7EXAMPLE")
            #expect(redactor.valuesRedacted == 0)
        }
    }
}
