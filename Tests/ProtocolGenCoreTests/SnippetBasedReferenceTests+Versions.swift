// Tests/ProtocolGenCoreTests/SnippetBasedReferenceTests+Versions.swift - fields that differ between protocol versions

import Foundation
import ProtocolGenCore
import Testing

@Suite("Snippets: protocol versions")
struct SnippetVersionsTests {
    static let files: KeyValuePairs<String, String> = [
        "spec/protocol.yaml": """
        protocol:
          doc: The protocol.
          versions: [3, 4]
        """,
        "spec/types/hello.yaml": #"""
        Hello:
          doc: A hello.
          fields:
            name: {type: string, doc: "Both versions."}
            legacyUrl: {type: string?, until: 3, doc: "v3 only."}
            surfaces: {type: "[string: string]?", since: 4, doc: "v4 only."}
            auth: {type: string?, requiredSince: 4, doc: "Optional in v3, required in v4."}
        Wrapper:
          doc: Holds a hello.
          fields:
            hellos: {type: "[Hello]", doc: "Versioned through its element type."}
        Plain:
          doc: The same in every version.
          fields:
            name: {type: string, doc: "Both."}
        """#,
    ]

    @Test("A field's versions drive its generated encoder and decoder; the runtime passes only the version")
    func versionedCoders() throws {
        let types = try Snippet.swift("Types.swift", Self.files)
        let hello = try requireDeclaration("struct Hello", in: types)
        #expect(hello.contains("public struct Hello: Swift.Codable, Swift.Hashable, Swift.Sendable, VersionedWire {"))
        #expect(hello.contains("public static let wireVersions: [Swift.Int] = ProtocolVersion.supported"))
        // Decoding: fields of other versions are unknown keys; `auth` is required from 4 on.
        #expect(hello.contains("if !VersionRange(until: 3).contains(version) { outside.append(.legacyUrl) }"))
        #expect(hello.contains("if !VersionRange(since: 4).contains(version) { outside.append(.surfaces) }"))
        #expect(hello.contains("let container = try decoder.strictContainer(keyedBy: CodingKeys.self, outside: outside)"))
        #expect(hello.contains("self.auth = VersionRange(since: 4).enforces(version) ? try container.decodeField(Swift.String.self, forKey: .auth)"))
        // Encoding: each field only in its versions.
        #expect(hello.contains("let version = encoder.protocolVersion ?? ProtocolVersion.current"))
        #expect(hello.contains("if VersionRange(until: 3).contains(version) { try container.encodeIfPresent(self.legacyUrl, forKey: .legacyUrl) }"))
        #expect(hello.contains("if VersionRange(since: 4).contains(version) { try container.encodeIfPresent(self.surfaces, forKey: .surfaces) }"))
        #expect(hello.contains("if VersionRange(since: 4).enforces(version) { try container.encodeRequired(self.auth, forKey: .auth) }"))
        // A type holding a versioned type is versioned too; one that does not is untouched.
        #expect(try requireDeclaration("struct Wrapper", in: types).contains("VersionedWire {"))
        let plain = try requireDeclaration("struct Plain", in: types)
        #expect(!plain.contains("VersionedWire") && !plain.contains("VersionRange"))
    }

    @Test("The docs show one column per version and there is one JSON Schema per version")
    func docsAndSchemas() throws {
        let spec = try Snippet.spec(Self.files)
        let docs = try GeneratorPipeline().docFiles(for: spec)
        let markdown = try #require(docs.first { $0.name == "protocol.md" }?.contents)
        #expect(markdown.contains("| Field | Type | v3 | v4 | |"))
        #expect(markdown.contains("| `legacyUrl` | `string` | optional | — |"))
        #expect(markdown.contains("| `surfaces` | map of `string` | — | optional |"))
        #expect(markdown.contains("| `auth` | `string` | optional | required |"))
        for (version, present, absent) in [(3, "legacyUrl", "surfaces"), (4, "surfaces", "legacyUrl")] {
            let text = try #require(docs.first { $0.name == "protocol.v\(version).schema.json" }?.contents)
            let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(root["protocolVersion"] as? Int == version)
            let hello = try #require((root["definitions"] as? [String: Any])?["Hello"] as? [String: Any])
            let properties = try #require(hello["properties"] as? [String: Any])
            #expect(properties[present] != nil && properties[absent] == nil)
            let required = try #require(hello["required"] as? [String])
            #expect(required.contains("auth") == (version == 4))
        }
    }

    @Test("A version-limited field must be optional, and until must lie below the newest version")
    func validation() {
        let diagnostics = Snippet.diagnostics([
            "spec/protocol.yaml": "protocol:\n  versions: [3, 4]\n",
            "spec/types/bad.yaml": #"""
            Bad:
              doc: Bad.
              fields:
                newOnly: {type: string, since: 4, doc: "Required but v4 only."}
                gone: {type: string?, until: 4, doc: "Until the newest version."}
            """#,
        ])
        let messages = diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("'newOnly' exists in some protocol versions only, so it must be optional") })
        #expect(messages.contains { $0.contains("until 4 must lie between since and the newest version 4") })
    }

    @Test("A versioned message becomes one function that picks the wording for the caller's version")
    func messages() throws {
        let constants = try Snippet.swift(
            "Constants.swift",
            [
                "spec/protocol.yaml": "protocol:\n  versions: [3, 4]\n",
                "spec/errors.yaml": #"""
                messages:
                  pairingRequired:
                    doc: Needs approval.
                    versions:
                      3: {message: "pairing required", closeReason: "pairing required"}
                      4: {message: "pairing required: {requirement}", closeReason: "pairing required: {requirement} (requestId: {requestId})"}
                """#,
            ])
        let messages = try requireDeclaration("enum VersionedMessages", in: constants)
        #expect(
            messages.contains(
                "public static func pairingRequired(version: Swift.Int, requirement: Swift.String, requestId: Swift.String) -> (message: Swift.String, closeReason: Swift.String?) {"
            ))
        #expect(messages.contains(#"case 4...: return ("pairing required: \(requirement)", "pairing required: \(requirement) (requestId: \(requestId))")"#))
        #expect(messages.contains(#"default: return ("pairing required", "pairing required")"#))
    }
}
