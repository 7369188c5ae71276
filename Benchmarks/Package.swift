// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "TraceSpoolBenchmarks",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "make-bench-spool", targets: ["make-bench-spool"])],
    dependencies: [
        .package(name: "TraceSpool", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "BenchmarkWorkload",
            dependencies: [
                .product(name: "SpoolFormat", package: "TraceSpool"),
                .product(name: "TraceSpool", package: "TraceSpool"),
                .product(name: "TraceSpoolTesting", package: "TraceSpool"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Sources/BenchmarkWorkload"
        ),
        .executableTarget(
            name: "SpoolFormatBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SpoolFormat", package: "TraceSpool"),
                "BenchmarkWorkload",
            ],
            path: "Benchmarks/SpoolFormatBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TracerBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "BenchmarkWorkload",
                .product(name: "SpoolFormat", package: "TraceSpool"),
                .product(name: "TraceSpool", package: "TraceSpool"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Benchmarks/TracerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LLMBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "BenchmarkWorkload",
                .product(name: "TraceSpool", package: "TraceSpool"),
                .product(name: "TraceSpoolLLM", package: "TraceSpool"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Benchmarks/LLMBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "UploaderBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SpoolFormat", package: "TraceSpool"),
                "BenchmarkWorkload",
                .product(name: "TraceSpoolUpload", package: "TraceSpool"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/UploaderBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LLMReplayBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "BenchmarkWorkload",
                .product(name: "TraceSpool", package: "TraceSpool"),
                .product(name: "TraceSpoolLLM", package: "TraceSpool"),
                .product(name: "TraceSpoolLLMHTTPClient", package: "TraceSpool"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/LLMReplayBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TracedBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TraceSpoolTraced", package: "TraceSpool"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Benchmarks/TracedBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "make-bench-spool",
            dependencies: [
                .product(name: "SpoolFormat", package: "TraceSpool"),
                "BenchmarkWorkload",
            ],
            path: "Sources/make-bench-spool"
        ),
    ],
    swiftLanguageModes: [.v6]
)
