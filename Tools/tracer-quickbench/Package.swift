// swift-tools-version: 6.1
// A standalone package (not part of the root package graph): a quick timing/malloc check of the TraceSpool tracer.
import PackageDescription

let package = Package(
    name: "tracer-quickbench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "TraceSpool", path: "../..")],
    targets: [
        .executableTarget(
            name: "tracer-quickbench",
            dependencies: [.product(name: "TraceSpool", package: "TraceSpool")])
    ],
    swiftLanguageModes: [.v6]
)
