import Testing

@testable import TraceSpoolDump

@Suite struct FormatTests {
    @Test func rfc3339RoundTrips() {
        #expect(TimeFormat.rfc3339(unixNanos: Fixture.t0) == "2025-11-22T00:00:00.000Z")
        #expect(TimeFormat.rfc3339(unixNanos: 951_782_400_123_000_000) == "2000-02-29T00:00:00.123Z")
        #expect(TimeFormat.parse("2025-11-22T00:00:00Z") == Fixture.t0)
        #expect(TimeFormat.parse("2025-11-22T01:30:00.5+01:30") == Fixture.t0 + 500_000_000)
        #expect(TimeFormat.parse("2025-11-22 00:00:00.000000001z") == Fixture.t0 + 1)
        #expect(TimeFormat.parse("1763769600") == Fixture.t0)
        #expect(TimeFormat.parse("1763769600.25") == Fixture.t0 + 250_000_000)
        for bad in [
            "", "yesterday", "2025-13-01T00:00:00Z", "2025-11-22T00:00:00", "2025-11-22T00:00:00Zjunk", "-5", "1.x",
        ] {
            #expect(TimeFormat.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func sizesAndDurations() {
        #expect(SizeFormat.duration(nanos: 0) == "0s")
        #expect(SizeFormat.duration(nanos: 850) == "850ns")
        #expect(SizeFormat.duration(nanos: 12_500) == "12us")
        #expect(SizeFormat.duration(nanos: 3_456_000) == "3.46ms")
        #expect(SizeFormat.duration(nanos: 45_600_000) == "45.6ms")
        #expect(SizeFormat.duration(nanos: 1_250_000_000) == "1.250s")
        #expect(SizeFormat.duration(nanos: 123_000_000_000) == "2m03s")
        #expect(SizeFormat.duration(nanos: 3_720_000_000_000) == "1h02m")
        #expect(SizeFormat.bytes(512) == "512 B")
        #expect(SizeFormat.bytes(1536) == "1.5 KiB")
        #expect(SizeFormat.ratio(raw: 300, stored: 100) == "3.00x")
        #expect(SizeFormat.ratio(raw: 0, stored: 0) == "-")
    }

    @Test func terminalTextNeutralisesControlCharacters() {
        #expect(TerminalText.safe("a\u{1B}[31mb\u{7}c\u{9B}d") == "a?[31mb?c?d")
        #expect(TerminalText.safe(String(repeating: "x", count: 300), maxCharacters: 10) == "xxxxxxxxxx...")
        #expect(TerminalText.token("two words") == "\"two words\"")
    }
}
