// Sources/ProtocolGenCore/Pipeline/GeneratorPipeline.swift - parse → validate → translate → render

import Foundation

/// One output file: a name and its text.
public struct RenderedFile: Sendable, Equatable {
    public var name: String
    public var contents: String
}

/// Runs the generator's stages over a spec.
public struct GeneratorPipeline {
    public init() {}

    /// Parses and validates.
    /// - Throws: `SpecErrors` with every diagnostic.
    public func loadSpec(_ files: [SpecFile]) throws(SpecErrors) -> Spec {
        let spec = try SpecParser().parse(files)
        try SpecValidator().validate(spec)
        return spec
    }

    /// The Swift files of the `Generated` module.
    public func swiftFiles(for spec: Spec) -> [RenderedFile] {
        let files = [
            TypesTranslator(spec: spec).translate(),
            MethodsTranslator(spec: spec).translate(),
            EventsTranslator(spec: spec).translate(),
            ClientTranslator(spec: spec).translate(),
            ConstantsTranslator(spec: spec).translate(),
            ConfigTranslator(spec: spec).translate(),
            PrecedenceTranslator(spec: spec).translate(),
            CommandsTranslator(spec: spec).translate(),
            ToolsTranslator(spec: spec).translate(),
        ]
        let renderer = TextBasedRenderer()
        return files.map { RenderedFile(name: $0.name, contents: renderer.render($0)) }
    }

    /// The files of `docs/`.
    public func docFiles(for spec: Spec) throws -> [RenderedFile] {
        let docs = DocsRenderer(spec: spec)
        // `protocol.schema.json` (upstream's name) is the newest version; each version also has its own file.
        let perVersion = try spec.protocolInfo.versions.map { version in
            RenderedFile(name: "protocol.v\(version).schema.json", contents: try JSONSchemaRenderer(spec: spec, version: version).render())
        }
        return [
            RenderedFile(name: "protocol.md", contents: docs.protocolReference()),
            RenderedFile(name: "config.md", contents: docs.configReference()),
            RenderedFile(name: "cli.md", contents: docs.cliReference()),
            RenderedFile(name: "protocol.schema.json", contents: try JSONSchemaRenderer(spec: spec).render()),
            RenderedFile(name: "config.schema.json", contents: try ConfigSchemaRenderer(spec: spec).render()),
        ] + perVersion
    }

    /// Writes files whose content changed, so unchanged outputs keep their timestamps and nothing recompiles.
    public static func write(_ files: [RenderedFile], to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in files {
            let url = directory.appendingPathComponent(file.name)
            if let existing = try? String(contentsOf: url, encoding: .utf8), existing == file.contents { continue }
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
