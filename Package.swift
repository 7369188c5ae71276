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
        .library(name: "TraceSpoolDump", targets: ["TraceSpoolDump"]),
        .executable(name: "tracespool-dump", targets: ["tracespool-dump"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"]), .brew(["lz4"])]),
        .target(name: "CSpoolSupport", path: "Sources/CSpoolSupport"),
        .target(name: "SpoolFormat", dependencies: ["CLZ4", "CSpoolSupport"], swiftSettings: strict),
        .testTarget(name: "SpoolFormatTests", dependencies: ["SpoolFormat"], swiftSettings: strict),
        .target(name: "OTLPWire", swiftSettings: strict),
        .testTarget(
            name: "OTLPWireTests", dependencies: ["OTLPWire"], exclude: ["Python"], swiftSettings: strict),
        .target(name: "TraceSpoolDump", dependencies: ["SpoolFormat", "OTLPWire"], swiftSettings: strict),
        .executableTarget(
            name: "tracespool-dump",
            dependencies: ["TraceSpoolDump", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/tracespool-dump", swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolDumpTests", dependencies: ["TraceSpoolDump", "SpoolFormat", "OTLPWire"],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
