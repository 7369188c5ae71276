import Foundation
import Testing

@testable import TraceSpool

extension TracerTests {
    @Suite("Configuration")
    struct ConfigurationTests {
        @Test("environment variables are read with OTel names and defaults")
        func fromEnvironment() {
            let c = TracerConfiguration.fromEnvironment([
                "OTEL_SERVICE_NAME": "checkout",
                "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,team=a%20b, ,k=v%3Dw",
                "TRACESPOOL_DIR": "/var/spool/x",
                "OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.25",
                "OTEL_ATTRIBUTE_COUNT_LIMIT": "10", "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT": "20",
                "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT": "100",
                "TRACESPOOL_DISK_CAP_BYTES": "1048576", "TRACESPOOL_SEGMENT_BYTES": "nope",
                "TRACESPOOL_LOG_LEVEL": "debug",
            ])
            #expect(c.serviceName == "checkout")
            #expect(c.resourceAttributes.map(\.0) == ["deployment.environment", "team", "k"])
            #expect(c.resourceAttributes[1].1 == "a b")
            #expect(c.resourceAttributes[2].1 == "v=w")
            #expect(c.spoolDirectory == "/var/spool/x")
            #expect(c.sampler == .traceIDRatio(0.25))
            #expect(c.attributeCountLimit == 20)
            #expect(c.attributeValueLengthLimit == 100)
            #expect(c.diskCapBytes == 1 << 20)
            #expect(c.maxSegmentBytes == 16 << 20)
            #expect(c.warnings.count == 1)
            #expect(c.logLevel == .debug)
            #expect(c.disabled == false)
            let d = TracerConfiguration.fromEnvironment([:])
            #expect(d.spoolDirectory.hasSuffix("/tracespool-\(getuid())"))
            #expect(d.sampler == .parentBased(root: .alwaysOn))
            #expect(TracerConfiguration.fromEnvironment(["OTEL_TRACES_SAMPLER": "xray"]).warnings.count == 1)
            #expect(TraceSampler.parse(name: "parentbased_always_off", argument: nil) == .parentBased(root: .alwaysOff))
        }

        @Test(
            "a malformed OTEL_RESOURCE_ATTRIBUTES is discarded as a whole and reported by position",
            arguments: [
                ("team=a,secret-without-equals,k=v", "entry 2 has no '='"),
                ("team=a,=v", "entry 2 has an empty key"),
                ("service.name=x,team=a%2", "entry 2 has invalid percent-encoding"),
                ("team=%FF", "entry 1 is not valid UTF-8"),
            ])
        func malformedResourceAttributes(value: String, problem: String) throws {
            let c = TracerConfiguration.fromEnvironment(["OTEL_RESOURCE_ATTRIBUTES": value])
            #expect(c.resourceAttributes.isEmpty)
            #expect(c.serviceName == TracerConfiguration.defaultServiceName, "no service.name from a discarded value")
            let warning = try #require(c.warnings.first)
            #expect(c.warnings.count == 1)
            #expect(warning.hasPrefix("OTEL_RESOURCE_ATTRIBUTES: \(problem)"), "\(warning)")
            #expect(warning.contains("ignored"))
            #expect(!warning.contains("secret") && !warning.contains("team"), "the value is never quoted")
        }
    }
}
