// Sources/ProtocolGenCore/Parser/SpecSource.swift - the spec files the parser reads

import Foundation

/// One spec file's text and the path diagnostics use for it.
public struct SpecFile: Sendable {
    /// Path relative to the spec root's parent, e.g. `spec/methods/system.yaml`.
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// The folder below `spec/` the file sits in (`types`, `methods`, …), or `""` at the top.
    public var section: String {
        let parts = path.split(separator: "/")
        return parts.count >= 3 ? String(parts[parts.count - 2]) : ""
    }

    /// Every `.yaml` file below `root`, sorted so generation is deterministic.
    public static func load(root: URL) throws -> [SpecFile] {
        let base = root.deletingLastPathComponent().standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return []
        }
        var files: [SpecFile] = []
        for case let url as URL in enumerator where url.pathExtension == "yaml" {
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : full
            files.append(SpecFile(path: relative, text: try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.path < $1.path }
    }
}
