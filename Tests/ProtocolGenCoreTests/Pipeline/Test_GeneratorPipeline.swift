// Tests/ProtocolGenCoreTests/Pipeline/Test_GeneratorPipeline.swift - writing outputs only when they change

import Foundation
import ProtocolGenCore
import Testing

@Suite("GeneratorPipeline.write")
struct GeneratorPipelineWriteTests {
    /// A fresh directory under the temporary directory, removed by the caller.
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ProtocolGenCoreTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func modificationDate(_ url: URL) throws -> Date {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date)
    }

    @Test("An unchanged file is not rewritten, so its modification date stays")
    func unchangedFileKeepsItsDate() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = GeneratorPipeline().swiftFiles(for: try Snippet.spec(["spec/types/t.yaml": "A: {doc: A., fields: {id: string}}\n"]))
        try GeneratorPipeline.write(files, to: directory)

        // Backdate every output, so a rewrite (which would stamp "now") is told apart from no write at all.
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        for file in files {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: directory.appendingPathComponent(file.name).path)
        }
        try GeneratorPipeline.write(files, to: directory)
        for file in files {
            let url = directory.appendingPathComponent(file.name)
            #expect(try modificationDate(url) == past, "\(file.name) was rewritten")
            #expect(try String(contentsOf: url, encoding: .utf8) == file.contents)
        }
    }

    @Test("A changed file is rewritten, a missing one created, and others left alone")
    func changedFileIsRewritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let nested = directory.appendingPathComponent("out/Generated")
        try GeneratorPipeline.write([rendered("A.swift", "a\n"), rendered("B.swift", "b\n")], to: nested)
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        for name in ["A.swift", "B.swift"] {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: nested.appendingPathComponent(name).path)
        }

        try GeneratorPipeline.write(
            [rendered("A.swift", "a\n"), rendered("B.swift", "b2\n"), rendered("C.swift", "c\n")],
            to: nested
        )
        #expect(try modificationDate(nested.appendingPathComponent("A.swift")) == past)
        #expect(try modificationDate(nested.appendingPathComponent("B.swift")) > past)
        #expect(try String(contentsOf: nested.appendingPathComponent("B.swift"), encoding: .utf8) == "b2\n")
        #expect(try String(contentsOf: nested.appendingPathComponent("C.swift"), encoding: .utf8) == "c\n")
    }
}

/// A `RenderedFile` with the given name and contents (the type's memberwise initializer is internal).
private func rendered(_ name: String, _ contents: String) throws -> RenderedFile {
    var file = try #require(GeneratorPipeline().swiftFiles(for: Spec()).first)
    file.name = name
    file.contents = contents
    return file
}
