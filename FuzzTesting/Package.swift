// swift-tools-version:6.1
// libFuzzer entry points for the gateway's parsers, as swift-protobuf keeps its FuzzTesting package beside the
// library. Build and run (release, coverage-guided; see docs/reliability.md):
//
//     swift build -c release --package-path FuzzTesting -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld
//     SWIFT_BACKTRACE=enable=no FuzzTesting/.build/release/FuzzGateway --target=frame -max_total_time=120 [corpus-dir]
//
// lld, because gold dies with an internal error linking the main package's plugin tool with the fuzzer runtime.
import PackageDescription

let package = Package(
    name: "FuzzTesting",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "openclaw-gateway", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "FuzzGateway",
            dependencies: [.product(name: "FuzzTargets", package: "openclaw-gateway")],
            // Here, not on the command line: the main package's build plugin runs protocol-gen, whose main.swift
            // must stay a script; libFuzzer provides `main` through `FuzzGateway_main`.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)
