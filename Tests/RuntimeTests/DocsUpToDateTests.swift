// Tests/RuntimeTests/DocsUpToDateTests.swift - the committed docs/ are what the spec renders

import Foundation
import ProtocolGenCore
import Testing

@Suite("Generated docs")
struct DocsUpToDateTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func committedDocsMatchTheSpec() throws {
        let pipeline = GeneratorPipeline()
        let spec = try pipeline.loadSpec(try SpecFile.load(root: Self.root.appendingPathComponent("spec")))
        for file in try pipeline.docFiles(for: spec) {
            let committed = try? String(contentsOf: Self.root.appendingPathComponent("docs").appendingPathComponent(file.name), encoding: .utf8)
            #expect(committed == file.contents, "docs/\(file.name) is out of date: run scripts/gen-docs")
        }
    }
}
