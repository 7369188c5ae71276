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
        .library(name: "TraceSpoolUpload", targets: ["TraceSpoolUpload"]),
        .executable(name: "tracespool-upload", targets: ["tracespool-upload"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
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
        .target(name: "SpoolFormat", dependencies: ["CLZ4", "CSpoolSupport"], swiftSettings: strict),
        .target(name: "OTLPWire", swiftSettings: strict),
        .target(
            name: "TraceSpoolUpload",
            dependencies: [
                "SpoolFormat", "OTLPWire", "CZlib", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "tracespool-upload",
            dependencies: [
                "TraceSpoolUpload",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/tracespool-upload",
            swiftSettings: strict),
        .testTarget(name: "SpoolFormatTests", dependencies: ["SpoolFormat"], swiftSettings: strict),
        .testTarget(
            name: "OTLPWireTests", dependencies: ["OTLPWire"], exclude: ["Python"], swiftSettings: strict),
        .testTarget(
            name: "TraceSpoolUploadTests",
            dependencies: [
                "TraceSpoolUpload", "SpoolFormat", "OTLPWire", "CSQLite",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
