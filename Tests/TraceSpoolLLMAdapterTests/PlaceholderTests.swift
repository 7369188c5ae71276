import Testing

@testable import TraceSpoolLLM

@Test func adapterPlaceholder() { #expect(RecordReplay.Level.allCases.count == 2) }
