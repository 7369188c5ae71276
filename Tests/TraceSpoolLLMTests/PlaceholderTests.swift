import Testing

@testable import TraceSpoolLLM

@Test func placeholder() { #expect(RecordReplay.Mode.allCases.count == 4) }
