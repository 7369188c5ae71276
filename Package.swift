// swift-tools-version: 6.1
import CompilerPluginSupport
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "TraceSpool",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SpoolFormat", targets: ["SpoolFormat"]),
        .library(name: "TraceSpool", targets: ["TraceSpool"]),
        .executable(name: "tracespool-demo", targets: ["tracespool-demo"]),
        .executable(name: "tracespool-dump", targets: ["tracespool-dump"]),
        .library(name: "TraceSpoolUpload", targets: ["TraceSpoolUpload"]),
        .executable(name: "tracespool-upload", targets: ["tracespool-upload"]),
        .executable(name: "tracespool-lambda-demo", targets: ["tracespool-lambda-demo"]),
        .library(name: "TraceSpoolTesting", targets: ["TraceSpoolTesting"]),
        .library(name: "TraceSpoolLLM", targets: ["TraceSpoolLLM"]),
        .library(name: "TraceSpoolLLMOpenAPI", targets: ["TraceSpoolLLMOpenAPI"]),
        .library(name: "TraceSpoolLLMHTTPClient", targets: ["TraceSpoolLLMHTTPClient"]),
        .executable(name: "tracespool-llm-demo", targets: ["tracespool-llm-demo"]),
        .executable(name: "fake-llm-provider", targets: ["fake-llm-provider"]),
        // `@Traced`: its own product, so that only its users build swift-syntax.
        .library(name: "TraceSpoolTraced", targets: ["TraceSpoolTraced"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax.git", "603.0.1"..<"604.0.0"),
    ],
    targets: [
        // System libraries and C support.
        .systemLibrary(
            name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"]), .brew(["lz4"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .target(name: "CSpoolSupport", path: "Sources/CSpoolSupport"),

        // The small helpers every module shares (POSIX wrappers, hex, JSON, clocks, ...), one copy each.
        .target(name: "SpoolBase", dependencies: ["CSpoolSupport"], swiftSettings: strict),

        // The spool format (no tracing, no HTTP) and the OTLP wire codec.
        .target(name: "SpoolFormat", dependencies: ["SpoolBase", "CLZ4", "CSpoolSupport"], swiftSettings: strict),
        .target(name: "OTLPWire", dependencies: ["SpoolBase"], swiftSettings: strict),

        // The in-process tracer (no HTTP).
        .target(
            name: "TraceSpool",
            dependencies: [
                "SpoolBase", "SpoolFormat", "OTLPWire", "CSpoolSupport",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // The local SQLite trace store: schema, migrations, writes, reads back to spans, the JSON column codec.
        .target(
            name: "TraceSpoolStore", dependencies: ["CSQLite", "SpoolBase", "SpoolFormat", "OTLPWire"],
            swiftSettings: strict),

        // The uploader and the dump tool, as libraries under thin executables.
        .target(
            name: "TraceSpoolDump", dependencies: ["SpoolBase", "SpoolFormat", "OTLPWire", "TraceSpoolStore"],
            swiftSettings: strict),
        .target(
            name: "TraceSpoolUpload",
            dependencies: [
                "SpoolBase", "SpoolFormat", "OTLPWire", "TraceSpoolStore", "CZlib", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),

        // What every Lambda API client shares: the AWS_LAMBDA_RUNTIME_API address and the error document.
        .target(name: "LambdaRuntimeAPI", dependencies: ["SpoolBase"], swiftSettings: strict),

        // The AWS Lambda extension mode of tracespool-upload: Extensions and Telemetry APIs, holds, strategies.
        .target(
            name: "TraceSpoolLambda",
            dependencies: [
                "TraceSpoolUpload", "SpoolFormat", "SpoolBase", "LambdaRuntimeAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),

        // LLM calls traced at the edge, and their record/replay: the transport-independent core (no HTTP library),
        // then one thin adapter per HTTP client.
        .target(
            name: "TraceSpoolLLM",
            dependencies: [
                "TraceSpool", "SpoolBase", "SpoolFormat", "CSpoolSupport",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "TraceSpoolLLMOpenAPI",
            dependencies: [
                "TraceSpoolLLM",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict),
        .target(
            name: "TraceSpoolLLMHTTPClient",
            dependencies: [
                "TraceSpoolLLM",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),

        // A loopback stand-in for the LLM providers' HTTP APIs (OpenAI, Anthropic), for tests and for trying the
        // demo without an account.
        .target(
            name: "FakeLLMProvider",
            dependencies: [
                "SpoolBase",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tools/FakeLLMProvider", swiftSettings: strict),
        .executableTarget(
            name: "fake-llm-provider",
            dependencies: [
                "FakeLLMProvider",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tools/fake-llm-provider", swiftSettings: strict),

        // Executables.
        .executableTarget(
            name: "tracespool-llm-demo",
            dependencies: [
                "TraceSpool", "TraceSpoolLLM", "TraceSpoolLLMHTTPClient", "SpoolBase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/tracespool-llm-demo", swiftSettings: strict),
        .executableTarget(
            name: "tracespool-demo",
            dependencies: [
                "TraceSpool", "SpoolBase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/tracespool-demo", swiftSettings: strict),
        .executableTarget(
            name: "tracespool-lambda-demo",
            dependencies: [
                "TraceSpool", "SpoolBase", "SpoolFormat", "LambdaRuntimeAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tools/tracespool-lambda-demo", swiftSettings: strict),
        .executableTarget(
            name: "tracespool-dump",
            dependencies: [
                "TraceSpoolDump", "TraceSpoolStore", "TraceSpool", "SpoolBase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/tracespool-dump", swiftSettings: strict),
        .executableTarget(
            name: "tracespool-upload",
            dependencies: [
                "TraceSpoolUpload", "TraceSpoolLambda", "LambdaRuntimeAPI", "SpoolBase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tools/tracespool-upload", swiftSettings: strict),

        // `@Traced` for functions: the macro's implementation (a library, so that its tests do not depend on the
        // macro target: a test target that does builds every test target for the host, twice over), the compiler
        // plugin around it, and the library that declares the macro.
        .target(
            name: "TraceSpoolMacroCore",
            dependencies: [
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftDiagnostics", package: "swift-syntax"),
            ],
            swiftSettings: strict),
        .macro(
            name: "TraceSpoolMacros",
            dependencies: [
                "TraceSpoolMacroCore",
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
            ],
            swiftSettings: strict),
        .target(
            name: "TraceSpoolTraced",
            dependencies: [
                "TraceSpool", "TraceSpoolMacros",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict),

        // `@Traced` against the helper it expands to, for callgrind (Benchmarks/README.md, "`@Traced` vs the helper").
        .executableTarget(
            name: "traced-quickbench", dependencies: ["TraceSpoolTraced"], path: "Tools/traced-quickbench",
            swiftSettings: strict),

        // Test support for users of the tracer.
        .target(
            name: "TraceSpoolTesting",
            dependencies: [
                "TraceSpool", "SpoolBase", "SpoolFormat", "OTLPWire",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict),

        // Test support: golden vectors, a child writer process for crash tests, captured log messages.
        .target(
            name: "SpoolTestSupport",
            dependencies: [
                "CSQLite", "SpoolBase", "SpoolFormat", "TraceSpoolTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "tracespool-vectors", dependencies: ["SpoolBase", "SpoolFormat", "SpoolTestSupport"],
            path: "Tools/tracespool-vectors", swiftSettings: strict),
        .executableTarget(
            name: "spool-test-writer", dependencies: ["SpoolTestSupport"], path: "Tools/spool-test-writer",
            swiftSettings: strict),

        // Tests.
        .testTarget(name: "SpoolBaseTests", dependencies: ["SpoolBase", "CSpoolSupport"], swiftSettings: strict),
        .testTarget(
            name: "SpoolFormatTests",
            dependencies: [
                "SpoolBase", "SpoolFormat", "SpoolTestSupport", "TraceSpoolTesting", "CSpoolSupport",
                "spool-test-writer",
                "tracespool-vectors",
            ],
            exclude: ["Python"], swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolTestingTests",
            dependencies: [
                "TraceSpoolTesting", "TraceSpool", "SpoolFormat",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "OTLPWireTests", dependencies: ["OTLPWire", "SpoolBase"], exclude: ["Python"], swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolStoreTests",
            dependencies: ["TraceSpoolStore", "SpoolBase", "SpoolFormat", "SpoolTestSupport", "OTLPWire", "CSQLite"],
            swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolDumpTests",
            dependencies: [
                "TraceSpoolDump", "TraceSpoolStore", "SpoolBase", "SpoolFormat", "SpoolTestSupport", "OTLPWire",
                "TraceSpoolTesting", "TraceSpool", "tracespool-dump",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolTests",
            dependencies: [
                "TraceSpool", "TraceSpoolTesting", "SpoolBase", "SpoolFormat", "SpoolTestSupport", "OTLPWire",
                "tracespool-demo", "tracespool-lambda-demo",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolUploadTests",
            dependencies: [
                "TraceSpoolUpload", "SpoolBase", "SpoolFormat", "SpoolTestSupport", "OTLPWire",
                "TraceSpoolTesting",
                "tracespool-upload", "tracespool-dump", "tracespool-demo", "tracespool-lambda-demo",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolLambdaTests",
            dependencies: [
                "TraceSpoolLambda", "LambdaRuntimeAPI", "TraceSpoolUpload", "TraceSpoolTesting", "SpoolBase",
                "SpoolFormat", "tracespool-upload",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolLLMTests",
            dependencies: [
                "TraceSpoolLLM", "TraceSpool", "TraceSpoolTesting", "SpoolBase", "SpoolFormat",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolLLMAdapterTests",
            dependencies: [
                "TraceSpoolLLM", "TraceSpoolLLMOpenAPI", "TraceSpoolLLMHTTPClient", "FakeLLMProvider", "TraceSpool",
                "TraceSpoolTesting", "SpoolBase", "SpoolFormat", "tracespool-llm-demo", "fake-llm-provider",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            exclude: ["Python"], swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolTracedTests",
            dependencies: [
                "TraceSpoolTraced", "TraceSpoolMacroCore", "TraceSpool", "TraceSpoolTesting", "SpoolFormat",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacroExpansion", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacrosGenericTestSupport", package: "swift-syntax"),
            ],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
