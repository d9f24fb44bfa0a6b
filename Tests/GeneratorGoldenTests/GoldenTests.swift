// Tests/GeneratorGoldenTests/GoldenTests.swift - the generator's Swift output for a fixture spec, kept and compiled

import Foundation
import ProtocolGenCore
import ProtocolSupport
import Testing

/// The fixture spec (Tests/Fixtures/generator-golden/spec) renders exactly the files in `Golden/`, and those files are
/// compiled as part of this test target, so a generator change that breaks the output's syntax or types fails the
/// build, and one that changes it shows up as a reviewed diff (as swift-openapi-generator keeps its reference output).
/// After an intended change: `OPENCLAW_UPDATE_GOLDEN=1 swift test --filter GoldenTests`, then review `git diff`.
@Suite("generator golden files")
struct GoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixture = root.appendingPathComponent("../Fixtures/generator-golden/spec").standardized
    static let golden = root.appendingPathComponent("Golden")

    @Test func theFixtureSpecRendersTheGoldenFiles() throws {
        let files = try SpecFile.load(root: Self.fixture)
        let spec = try GeneratorPipeline().loadSpec(files)
        let rendered = GeneratorPipeline().swiftFiles(for: spec)
        if ProcessInfo.processInfo.environment["OPENCLAW_UPDATE_GOLDEN"] == "1" {
            for file in rendered { try file.contents.write(to: Self.golden.appendingPathComponent(file.name), atomically: true, encoding: .utf8) }
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: Self.golden.path).filter { $0.hasSuffix(".swift") }
        #expect(Set(kept) == Set(rendered.map(\.name)), "Golden/ holds other files than the generator renders")
        for file in rendered {
            let golden = try String(contentsOf: Self.golden.appendingPathComponent(file.name), encoding: .utf8)
            #expect(file.contents == golden, "\(file.name) differs from its golden copy; regenerate with OPENCLAW_UPDATE_GOLDEN=1 and review the diff")
        }
    }

    /// The compiled golden code behaves: the typed client's two-phase flag, the idempotency rule, a detail code's typed details and the open enum's unknown value.
    @Test func theCompiledGoldenCodeWorks() throws {
        #expect(GatewayMethod.sampleRun.isTwoPhase && !GatewayMethod.sampleGet.isTwoPhase)
        #expect(GatewayMethod.sampleRun.idempotency == IdempotencyRule(namespace: "run", whileRunning: .interim, errors: .retry))
        #expect(GatewayMethod.sampleGet.idempotency == nil)
        #expect(ErrorDetailCode.unknownSample.detailsType == UnknownSampleDetails.self)
        let details = String(decoding: try JSONEncoder().encode(UnknownSampleDetails(id: "s1")), as: UTF8.self)
        #expect(details.contains(#""code":"UNKNOWN_SAMPLE""#))
        let status = try JSONDecoder().decode(SampleStatus.self, from: Data(#""paused""#.utf8))
        #expect(status != .ok && status != .accepted)
    }
}
