// swift-tools-version: 6.1
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
        .library(name: "OTLPWire", targets: ["OTLPWire"]),
        .library(name: "TraceSpool", targets: ["TraceSpool"]),
        .executable(name: "tracespool-demo", targets: ["tracespool-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"]), .brew(["lz4"])]),
        .target(name: "CSpoolSupport", path: "Sources/CSpoolSupport"),
        .target(name: "SpoolFormat", dependencies: ["CLZ4", "CSpoolSupport"], swiftSettings: strict),
        .target(name: "OTLPWire", swiftSettings: strict),
        .target(
            name: "TraceSpool",
            dependencies: [
                "SpoolFormat", "OTLPWire",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "tracespool-demo",
            dependencies: [
                "TraceSpool",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/tracespool-demo", swiftSettings: strict),
        .testTarget(name: "SpoolFormatTests", dependencies: ["SpoolFormat"], swiftSettings: strict),
        .testTarget(
            name: "OTLPWireTests", dependencies: ["OTLPWire"], exclude: ["Python"], swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolTests", dependencies: ["TraceSpool", "SpoolFormat", "OTLPWire"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
