// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "TraceSpoolBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "TraceSpool", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SpoolFormatBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SpoolFormat", package: "TraceSpool"),
                .product(name: "OTLPWire", package: "TraceSpool"),
            ],
            path: "Benchmarks/SpoolFormatBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
