import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

/// The variables AWS Lambda sets for a function (those the detection reads, and a few it must ignore).
let lambdaEnvironment: [String: String] = [
    "AWS_LAMBDA_FUNCTION_NAME": "checkout-fn", "AWS_LAMBDA_FUNCTION_VERSION": "7",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "AWS_LAMBDA_LOG_STREAM_NAME": "2026/12/03/[7]0123456789abcdef",
    "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1", "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001",
    "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
]

extension TracerTests {
    @Suite("Platform resource detection")
    struct PlatformResourceTests {
        typealias Attribute = PlatformResource.Attribute

        @Test("AWS Lambda: cloud.*, faas.* with faas.max_memory in bytes")
        func lambda() {
            #expect(
                PlatformResource.detect(lambdaEnvironment).attributes == [
                    Attribute("cloud.provider", .string("aws")), Attribute("cloud.platform", .string("aws_lambda")),
                    Attribute("cloud.region", .string("eu-west-1")), Attribute("faas.name", .string("checkout-fn")),
                    Attribute("faas.version", .string("7")),
                    Attribute("faas.instance", .string("2026/12/03/[7]0123456789abcdef")),
                    Attribute("faas.max_memory", .int(134_217_728)),
                ])
        }

        @Test("AWS Lambda: missing, empty and malformed variables are left out")
        func lambdaPartial() {
            for memory in ["", "abc", "-5", "0", "99999999999999999999", "9223372036854775807"] {
                let detected = PlatformResource.detect([
                    "AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": memory, "AWS_REGION": "",
                ])
                #expect(
                    detected.attributes == [
                        Attribute("cloud.provider", .string("aws")), Attribute("cloud.platform", .string("aws_lambda")),
                        Attribute("faas.name", .string("fn")),
                    ], "memory \(memory)")
            }
            #expect(PlatformResource.detect(["AWS_LAMBDA_FUNCTION_NAME": ""]).attributes.isEmpty)
            #expect(PlatformResource.detect(["AWS_REGION": "eu-west-1"]).attributes.isEmpty)
            #expect(PlatformResource.detect([:]).attributes.isEmpty)
        }

        @Test("Google Cloud Run service: K_CONFIGURATION, K_SERVICE, K_REVISION")
        func cloudRunService() {
            let env = ["K_CONFIGURATION": "shop", "K_SERVICE": "shop", "K_REVISION": "shop-00042-abc", "PORT": "8080"]
            #expect(
                PlatformResource.detect(env).attributes == [
                    Attribute("cloud.provider", .string("gcp")), Attribute("cloud.platform", .string("gcp_cloud_run")),
                    Attribute("faas.name", .string("shop")), Attribute("faas.version", .string("shop-00042-abc")),
                ])
        }

        @Test("Google Cloud Run job: gcp.cloud_run.job.execution and an integer task index")
        func cloudRunJob() {
            let env = [
                "CLOUD_RUN_JOB": "nightly", "CLOUD_RUN_EXECUTION": "nightly-x7k2p", "CLOUD_RUN_TASK_INDEX": "3",
                "CLOUD_RUN_TASK_ATTEMPT": "1", "CLOUD_RUN_TASK_COUNT": "10",
            ]
            #expect(
                PlatformResource.detect(env).attributes == [
                    Attribute("cloud.provider", .string("gcp")), Attribute("cloud.platform", .string("gcp_cloud_run")),
                    Attribute("faas.name", .string("nightly")),
                    Attribute("gcp.cloud_run.job.execution", .string("nightly-x7k2p")),
                    Attribute("gcp.cloud_run.job.task_index", .int(3)),
                ])
            var bad = env
            bad["CLOUD_RUN_TASK_INDEX"] = "three"
            #expect(!PlatformResource.detect(bad).attributes.contains { $0.key == "gcp.cloud_run.job.task_index" })
        }

        @Test("service.name: OTEL_SERVICE_NAME, then service.name in OTEL_RESOURCE_ATTRIBUTES, then faas.name")
        func serviceName() {
            #expect(TracerConfiguration.fromEnvironment(lambdaEnvironment).serviceName == "checkout-fn")
            var env = lambdaEnvironment
            env["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=from-attributes"
            #expect(TracerConfiguration.fromEnvironment(env).serviceName == "from-attributes")
            env["OTEL_SERVICE_NAME"] = "from-variable"
            #expect(TracerConfiguration.fromEnvironment(env).serviceName == "from-variable")
            #expect(
                TracerConfiguration.fromEnvironment(["K_CONFIGURATION": "c", "K_SERVICE": "shop"]).serviceName
                    == "shop")
            #expect(TracerConfiguration.fromEnvironment([:]).serviceName == TracerConfiguration.defaultServiceName)
        }

        @Test("TRACESPOOL_DETECT_PLATFORM=off: nothing detected, the service keeps its default name")
        func switchedOff() {
            for off in ["off", "OFF", " false ", "0", "no"] {
                var env = lambdaEnvironment
                env["TRACESPOOL_DETECT_PLATFORM"] = off
                let c = TracerConfiguration.fromEnvironment(env)
                #expect(!c.detectsPlatform, "\(off)")
                #expect(c.platformResource.attributes.isEmpty)
                #expect(c.serviceName == TracerConfiguration.defaultServiceName)
                #expect(c.warnings.isEmpty)
            }
            var env = lambdaEnvironment
            env["TRACESPOOL_DETECT_PLATFORM"] = "maybe"
            let c = TracerConfiguration.fromEnvironment(env)
            #expect(c.detectsPlatform)
            #expect(c.platformResource.string("faas.name") == "checkout-fn")
            #expect(c.warnings.contains { $0.contains("TRACESPOOL_DETECT_PLATFORM=maybe") })
            #expect(TracerConfiguration().platformResource.attributes.isEmpty, "init does not read the environment")
        }

        @Test(
            "the spool's resource carries the detected attributes, typed, and OTEL_RESOURCE_ATTRIBUTES wins conflicts")
        func writtenResource() async throws {
            try await withTemporarySpool { spool in
                var env = lambdaEnvironment
                env["OTEL_RESOURCE_ATTRIBUTES"] = "cloud.region=override-1,deployment.environment.name=prod"
                let read = TracerConfiguration.fromEnvironment(env)
                let tracer = spool.makeQuietTracer {
                    $0.platformResource = read.platformResource
                    $0.resourceAttributes = read.resourceAttributes
                    $0.serviceName = read.serviceName
                }
                tracer.withSpan("work") { _ in }
                let span = try #require(try await spool.spans().first)
                let resource = span.resource
                #expect(resource.get("service.name") == "checkout-fn")
                #expect(resource.get("cloud.provider") == "aws")
                #expect(resource.get("cloud.platform") == "aws_lambda")
                #expect(resource.get("cloud.region") == "override-1")
                #expect(resource.get("faas.name") == "checkout-fn")
                #expect(resource.get("faas.version") == "7")
                #expect(resource.get("faas.instance") == "2026/12/03/[7]0123456789abcdef")
                #expect(resource.get("faas.max_memory") == .int64(134_217_728))
                #expect(resource.get("deployment.environment.name") == "prod")
                #expect(resource.get("process.pid") != nil)
            }
        }

        @Test("detectsPlatform false keeps a detected resource out of the spool")
        func notWritten() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer {
                    $0.platformResource = PlatformResource.detect(lambdaEnvironment)
                    $0.detectsPlatform = false
                }
                tracer.withSpan("work") { _ in }
                let span = try #require(try await spool.spans().first)
                #expect(span.resource.get("cloud.provider") == nil)
                #expect(span.resource.get("faas.max_memory") == nil)
            }
        }
    }
}
