// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "openclaw-gateway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "openclaw", targets: ["openclaw"]),
        .executable(name: "gateway-bench", targets: ["gateway-bench"]),
        .executable(name: "protocol-gen", targets: ["protocol-gen"]),
        // Fuzz, soak and chaos runs against the parsers and a real gateway process (docs/reliability.md).
        .executable(name: "gateway-stress", targets: ["gateway-stress"]),
        // The fuzz targets, a product so the libFuzzer package in FuzzTesting/ can link them.
        .library(name: "FuzzTargets", targets: ["FuzzTargets"]),
        .library(name: "Runtime", targets: ["Runtime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["ConfigurationSupport"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Self-signed TLS certificates made in-process (gateway.tls.autoGenerate), instead of shelling out to openssl.
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        // `GET /metrics`: the SSWG's Prometheus client (counters, gauges, histograms, the text format), one registry
        // per gateway rather than the process-global MetricsSystem, so gateways in one test process stay apart.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Child processes (systemctl, lsof, a browser opener; the tests' gateways, IRC server and Chromium): async, with
        // owned pipes and teardown, instead of our own posix_spawn wrapper or Foundation.Process, which crashes on Linux.
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        // Traces and logs over OTLP (`diagnostics.otel.*`). Only the OTLP/HTTP trait: the default traits add OTLP/gRPC,
        // whose grpc-swift stack adds many minutes to every cold build (CI builds cold each run), and upstream exports
        // http/protobuf only anyway.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    ],
    targets: [
        // The generator: parse → validate → translate → render, behind a thin CLI and a thin plugin.
        .target(
            name: "ProtocolGenCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "protocol-gen",
            dependencies: ["ProtocolGenCore"],
            swiftSettings: swiftSettings
        ),
        .plugin(
            name: "ProtocolGen",
            capability: .buildTool(),
            dependencies: ["protocol-gen"]
        ),

        // Hand-written JSON rules the generated code leans on (strict keys, bounds, path-named errors).
        .target(
            name: "ProtocolSupport",
            swiftSettings: swiftSettings
        ),
        // Everything in here but one file is written by the ProtocolGen plugin from spec/.
        .target(
            name: "Generated",
            dependencies: [
                "ProtocolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["ProtocolGen"]
        ),
        .target(
            name: "Runtime",
            dependencies: [
                "Generated",
                "ProtocolSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            // The Control UI's HTML, CSS and JavaScript modules, served as written (no build step).
            resources: [.copy("ControlUI/Assets")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "openclaw",
            dependencies: [
                "Runtime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // A scripted OpenAI/Anthropic-style model server on loopback: the upstream of the tests and the bench.
        .target(
            name: "TestUpstream",
            dependencies: [
                "ProtocolSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Child processes the tests (and tools) start and own: a gateway, an IRC server, a browser.
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "Subprocess", package: "swift-subprocess")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gateway-bench",
            dependencies: [
                "Generated", "Runtime", "TestUpstream",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                // The reference server the gateway's numbers are divided by (ReferenceServer.swift).
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The parsers under fuzz (frames, JSON, params, config, HTTP bodies), the seeded mutator and the crash guard.
        .target(
            name: "FuzzTargets",
            dependencies: ["Runtime", "Generated", "ProtocolSupport"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gateway-stress",
            dependencies: [
                "FuzzTargets", "Runtime", "Generated", "TestUpstream", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The generator's output for a fixture spec, kept as golden files and compiled here (GoldenTests.swift).
        .testTarget(
            name: "GeneratorGoldenTests",
            dependencies: [
                "ProtocolGenCore", "ProtocolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: ["FuzzTargets"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProtocolGenCoreTests",
            dependencies: ["ProtocolGenCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "Conformance",
            dependencies: [
                "Runtime", "Generated", "TestUpstream", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"), .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Cases")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "Runtime", "Generated", "TestUpstream", "TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Runtime", "Generated", "ProtocolGenCore", "TestUpstream", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
