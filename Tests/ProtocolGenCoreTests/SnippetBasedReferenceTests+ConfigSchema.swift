// Tests/ProtocolGenCoreTests/SnippetBasedReferenceTests+ConfigSchema.swift - config keys → config JSON Schema, ConfigSchema.jsonSchema and the reload rule table

import Foundation
import ProtocolGenCore
import Testing

@Suite("Snippets: config JSON Schema and reload rule docs")
struct SnippetConfigSchemaTests {
    private func docs() throws -> [String: String] {
        let spec = try Snippet.spec(["spec/config/gateway.yaml": SnippetConfigTests.config, "spec/config/reload.yaml": SnippetConfigTests.reload])
        return Dictionary(uniqueKeysWithValues: try GeneratorPipeline().docFiles(for: spec).map { ($0.name, $0.contents) })
    }

    private func canonical(_ value: Any?) throws -> String {
        let value = try #require(value)
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("Config keys become a strict JSON Schema with docs as descriptions")
    func configSchema() throws {
        let json = try #require(try docs()["config.schema.json"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(root["additionalProperties"] as? Bool == false)
        let properties = try #require(root["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["$schema", "gateway", "channels"])
        #expect(try canonical(properties["channels"]) == #"{"description":"Channels.","type":"object"}"#)
        let gateway = try #require(properties["gateway"] as? [String: Any])
        let gatewayProperties = try #require(gateway["properties"] as? [String: Any])
        #expect(try canonical(gatewayProperties["port"]) == #"{"default":18789,"description":"The port.","maximum":65535,"minimum":1,"type":"integer"}"#)
        #expect(
            try canonical(gatewayProperties["bind"]) == #"{"default":"loopback","description":"Where to listen.","enum":["loopback","lan"],"type":"string"}"#)
        #expect(try canonical(gatewayProperties["trustedProxies"]) == #"{"description":"Proxies.","items":{"type":"string"},"type":"array"}"#)
        let auth = try #require((gatewayProperties["auth"] as? [String: Any])?["properties"] as? [String: Any])
        #expect(try canonical(auth["token"]) == #"{"description":"The token.","type":"string","writeOnly":true}"#)
        #expect(try canonical(auth["allowTailscale"]) == #"{"default":false,"description":"Tailscale.","type":"boolean"}"#)
    }

    @Test("The same schema text is embedded as ConfigSchema.jsonSchema")
    func embedded() throws {
        let text = try Snippet.swift(
            "Config.swift", ["spec/config/gateway.yaml": SnippetConfigTests.config, "spec/config/reload.yaml": SnippetConfigTests.reload])
        let declaration = try requireDeclaration("extension ConfigSchema", in: text)
        #expect(declaration.contains("public static let jsonSchema: Swift.String = \"{\\n  \\\"$id\\\""))
    }

    @Test("config/reload.yaml becomes the ReloadAction enum, and every key path a ConfigPath constant")
    func reloadActionsAndPaths() throws {
        let text = try Snippet.swift(
            "Config.swift", ["spec/config/gateway.yaml": SnippetConfigTests.config, "spec/config/reload.yaml": SnippetConfigTests.reload])
        #expect(
            try requireDeclaration("enum ReloadAction", in: text) == """
                /// What the gateway does in process when a key naming the action changes (`action:` in the spec).
                public enum ReloadAction: Swift.String, Swift.CaseIterable, Swift.Sendable {
                    /// Restart the channels.
                    ///
                    /// - Remark: Generated from spec/config/reload.yaml#/restart-channels
                    case restartChannels = "restart-channels"
                }
                """
        )
        #expect(text.contains("        action.flatMap(ReloadAction.init(rawValue:))\n"))
        #expect(text.contains("    /// `gateway.auth.token`.\n    public static let gatewayAuthToken: Swift.String = \"gateway.auth.token\"\n"))
    }

    @Test("config.md carries the reload rule table, longest prefix first-class and a restart fallback")
    func reloadTable() throws {
        let markdown = try #require(try docs()["config.md"])
        #expect(markdown.contains("## Reload rules"))
        #expect(markdown.contains("the longest matching prefix wins and an unmatched path restarts the gateway"))
        #expect(markdown.contains("| `channels` | hot (`restart-channels`) |"))
        #expect(markdown.contains("| `gateway.auth` | hot |"))
        #expect(markdown.contains("| `gateway.port` | restart |"))
        #expect(markdown.contains("| *(anything else)* | restart |"))
        #expect(markdown.contains("| Action | What it does |\n|---|---|\n| `restart-channels` | Restart the channels. |\n"))
    }

    @Test("Positional arguments become @Argument properties and an Argument table in cli.md")
    func positionalArguments() throws {
        let files: KeyValuePairs<String, String> = [
            "spec/cli/config.yaml": #"""
            config-set:
              doc: Set a value.
              arguments:
                path: {type: string, doc: "Dotted path."}
                value: {type: string?, doc: "The value."}
            """#
        ]
        let text = try Snippet.swift("Commands.swift", files)
        let declaration = try requireDeclaration("struct ConfigSetOptions", in: text)
        #expect(declaration.contains("@Argument(help: \"Dotted path.\") public var path: Swift.String\n"))
        #expect(declaration.contains("@Argument(help: \"The value.\") public var value: Swift.String?\n"))
        let docs = try GeneratorPipeline().docFiles(for: try Snippet.spec(files))
        let markdown = try #require(docs.first { $0.name == "cli.md" }?.contents)
        #expect(markdown.contains("| `<path>` | string | Dotted path. |\n| `<value>` (optional) | string | The value. |\n"))
        #expect(!markdown.contains("| Flag |"))
    }
}

@Suite("Snippets: number and string-map config keys")
struct SnippetConfigNumberAndMapTests {
    static let config = """
        otel: {type: object, doc: "Export.", reload: restart}
        otel.sampleRate: {type: number, range: [0, 1], default: 0.5, doc: "Share sampled."}
        otel.headers: {type: "[string: string]", secret: true, doc: "Extra headers."}
        """

    @Test("A number key decodes as Double with its range checked; a string map as [String: String]")
    func swiftShape() throws {
        let text = try Snippet.swift("Config.swift", ["spec/config/otel.yaml": Self.config])
        let otel = try requireDeclaration("struct OtelConfig", in: text)
        #expect(otel.contains("public var sampleRate: Swift.Double?"))
        #expect(otel.contains("public var headers: [Swift.String: Swift.String]?"))
        #expect(otel.contains("try container.checkBounds(self.sampleRate, forKey: .sampleRate, minimum: 0, maximum: 1)"))
        #expect(try requireDeclaration("enum ConfigDefaults", in: text).contains("public static let otelSampleRate: Swift.Double = 0.5"))
        #expect(text.contains(#"case "otel.sampleRate": self.otel?.sampleRate.map { Swift.String($0) }"#))
        #expect(!text.contains(#"case "otel.headers":"#))
    }

    @Test("Their JSON Schema is a bounded number and an object of strings")
    func schema() throws {
        let spec = try Snippet.spec(["spec/config/otel.yaml": Self.config])
        let docs = Dictionary(uniqueKeysWithValues: try GeneratorPipeline().docFiles(for: spec).map { ($0.name, $0.contents) })
        let schemaText = try #require(docs["config.schema.json"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(schemaText.utf8)) as? [String: Any])
        let otel = try #require(((root["properties"] as? [String: Any])?["otel"] as? [String: Any])?["properties"] as? [String: Any])
        let rate = try #require(otel["sampleRate"] as? [String: Any])
        #expect(rate["type"] as? String == "number")
        #expect(rate["minimum"] as? Int == 0)
        #expect(rate["maximum"] as? Int == 1)
        #expect(rate["default"] as? Double == 0.5)
        let headers = try #require(otel["headers"] as? [String: Any])
        #expect(headers["type"] as? String == "object")
        #expect((headers["additionalProperties"] as? [String: Any])?["type"] as? String == "string")
        #expect(headers["writeOnly"] as? Bool == true)
        #expect(try #require(docs["config.md"]).contains("| `otel.sampleRate` | number 0–1 | `0.5` |"))
    }

    @Test("A default outside a number key's range is a spec error")
    func badDefault() throws {
        #expect(throws: SpecErrors.self) {
            try Snippet.spec(["spec/config/otel.yaml": "otel: {type: object, doc: x}\notel.rate: {type: number, range: [0, 1], default: 2, doc: y}"])
        }
    }
}
