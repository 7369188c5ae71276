// swift-tools-version: 6.1
// A standalone package (not part of the root package graph): a quick timing/malloc check of the TraceSpool tracer,
// and instruction counts of its LLM edge instrumentation (llm-quickbench).
import PackageDescription

let package = Package(
    name: "tracer-quickbench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "TraceSpool", path: "../..")],
    targets: [
        .executableTarget(
            name: "tracer-quickbench",
            dependencies: [.product(name: "TraceSpool", package: "TraceSpool")]),
        .executableTarget(
            name: "llm-quickbench",
            dependencies: [
                .product(name: "TraceSpool", package: "TraceSpool"),
                .product(name: "TraceSpoolLLM", package: "TraceSpool"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
