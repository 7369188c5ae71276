import Testing

@testable import TraceSpool

extension TracerTests {
    /// `OTEL_PROPAGATORS`: `tracecontext` and `baggage` are what the tracer does; anything else is named once in the
    /// start-up warnings and ignored; nothing throws.
    @Suite("OTEL_PROPAGATORS")
    struct PropagatorsConfigurationTests {
        func warnings(_ value: String) -> [String] {
            TracerConfiguration.fromEnvironment(["OTEL_PROPAGATORS": value]).warnings
        }

        @Test func tracecontextIsHonouredSilently() {
            #expect(warnings("tracecontext").isEmpty)
            #expect(warnings(" TraceContext , ").isEmpty)
            #expect(warnings("").isEmpty)
            #expect(TracerConfiguration.fromEnvironment([:]).warnings.isEmpty)
        }

        @Test func baggageIsHonouredSilently() {
            #expect(warnings("baggage").isEmpty)
            #expect(warnings("tracecontext,baggage").isEmpty)
            #expect(warnings(" Baggage , TraceContext").isEmpty)
        }

        @Test func unsupportedPropagatorsAreNamedInOneWarning() throws {
            let list = warnings("tracecontext,baggage,b3,jaeger,xray")
            #expect(list.count == 1)
            let warning = try #require(list.first)
            for name in ["b3", "jaeger", "xray"] { #expect(warning.contains(name)) }
            // baggage is supported: not among the names listed as ignored.
            #expect(warning.contains(": b3, jaeger, xray not supported and ignored"))
            #expect(warning.contains("ignored"))
            #expect(warning.hasPrefix("OTEL_PROPAGATORS="))
        }

        @Test func noneIsReportedAsTheTracerCannotTurnPropagationOff() throws {
            let list = warnings("none")
            #expect(list.count == 1)
            #expect(try #require(list.first).contains("none cannot turn propagation off"))
        }
    }
}
