// Tests/ProtocolGenCoreTests/TestSupport.swift - building specs in memory and cutting declarations out of rendered files

import Foundation
import ProtocolGenCore
import Testing

/// Runs the generator over small in-memory specs, the way `protocol-gen` runs it over `spec/`.
enum Snippet {
    /// Parses and validates `files` (path → YAML text).
    /// - Throws: `SpecErrors` when the spec has errors.
    static func spec(_ files: KeyValuePairs<String, String>) throws(SpecErrors) -> Spec {
        try GeneratorPipeline().loadSpec(files.map { SpecFile(path: $0.key, text: $0.value) })
    }

    /// The rendered Swift files of `files`, by file name.
    static func swift(_ files: KeyValuePairs<String, String>) throws -> [String: String] {
        let spec = try spec(files)
        return Dictionary(uniqueKeysWithValues: GeneratorPipeline().swiftFiles(for: spec).map { ($0.name, $0.contents) })
    }

    /// The rendered Swift file `name` of `files`.
    static func swift(_ name: String, _ files: KeyValuePairs<String, String>) throws -> String {
        try #require(try swift(files)[name], "no \(name) was rendered")
    }

    /// The diagnostics loading `files` produces; records an issue when loading succeeds.
    static func diagnostics(
        _ files: KeyValuePairs<String, String>, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> [Diagnostic] {
        do {
            _ = try spec(files)
            Issue.record("the spec loaded without errors", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.diagnostics
        }
    }
}

/// Cuts one top-level declaration, with its doc comment, out of a rendered file.
///
/// `head` is the declaration's kind and name as written after the access level: `struct Sample`,
/// `enum GatewayMethod`, `extension GatewayMethod`, `protocol GatewayMethodHandler`.
/// - Returns: the declaration's lines from its first `///` line to its closing `}`, or nil when absent.
func declaration(_ head: String, in text: String) -> String? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let start = lines.firstIndex { line in
        let bare = line.hasPrefix("public ") ? String(line.dropFirst("public ".count)) : line
        guard bare.hasPrefix(head) else { return false }
        let rest = bare.dropFirst(head.count)
        return rest.hasPrefix(":") || rest.hasPrefix(" ")
    }
    guard let start, let end = lines[start...].firstIndex(of: "}") else { return nil }
    var first = start
    while first > 0 && lines[first - 1].hasPrefix("///") { first -= 1 }
    return lines[first...end].joined(separator: "\n")
}

/// `declaration(_:in:)`, failing the test when the declaration is missing.
func requireDeclaration(
    _ head: String, in text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> String {
    try #require(declaration(head, in: text), "no `\(head)` in the rendered file", sourceLocation: sourceLocation)
}

/// Problems that make a rendered file fail to compile whatever the rest of the module holds.
///
/// Finds raw-valued enums without cases (`an enum with no cases cannot declare a raw type`) and
/// array literals that hold only a separator (`[\n ,\n]`).
func compileBlockers(in text: String) -> [String] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var found: [String] = []
    for (index, line) in lines.enumerated() where index + 1 < lines.count {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("enum "), trimmed.contains(": Swift.String"), trimmed.hasSuffix("{") {
            let indent = String(line.prefix { $0 == " " })
            let body = lines[(index + 1)...].prefix { $0 != indent + "}" }
            if !body.contains(where: { $0.hasPrefix(indent + "    case ") }) {
                found.append("raw-valued enum without cases: \(trimmed)")
            }
        }
        if trimmed.hasSuffix("= ["), lines[index + 1].trimmingCharacters(in: .whitespaces) == "," {
            found.append("empty array literal with a separator: \(trimmed)")
        }
    }
    return found
}

/// Paths of the package, found from this file.
enum PackagePaths {
    /// The package root: this file is `Tests/ProtocolGenCoreTests/TestSupport.swift`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The package's `spec/`.
    static let spec = root.appendingPathComponent("spec")
}
