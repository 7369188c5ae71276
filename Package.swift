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
    ],
    dependencies: [],
    targets: [
        .systemLibrary(
            name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"]), .brew(["lz4"])]),
        .target(name: "CSpoolSupport", path: "Sources/CSpoolSupport"),
        .target(name: "SpoolFormat", dependencies: ["CLZ4", "CSpoolSupport"], swiftSettings: strict),
        .target(name: "SpoolTestSupport", dependencies: ["SpoolFormat"], swiftSettings: strict),
        .executableTarget(
            name: "tracespool-vectors", dependencies: ["SpoolFormat", "SpoolTestSupport"],
            path: "Tools/tracespool-vectors", swiftSettings: strict),
        .executableTarget(
            name: "spool-test-writer", dependencies: ["SpoolTestSupport"], path: "Tools/spool-test-writer",
            swiftSettings: strict),
        .testTarget(
            name: "SpoolFormatTests",
            dependencies: [
                "SpoolFormat", "SpoolTestSupport", "CSpoolSupport", "spool-test-writer", "tracespool-vectors",
            ],
            exclude: ["Python"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
