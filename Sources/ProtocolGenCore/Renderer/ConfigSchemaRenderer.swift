// Sources/ProtocolGenCore/Renderer/ConfigSchemaRenderer.swift - the config file's JSON Schema (docs/config.schema.json, `config.schema`)

import Foundation

/// Renders a draft-07 JSON Schema of the config file from the spec's config keys.
/// The same text is embedded in `ConfigSchema.jsonSchema`, so `config.schema` and the docs never disagree.
public struct ConfigSchemaRenderer {
    let spec: Spec

    public init(spec: Spec) { self.spec = spec }

    private func children(of path: String?) -> [ConfigKey] { spec.configKeys(below: path) }

    private func object(_ path: String?, open: Bool = false, perAccountOnly: Bool = false) -> [String: Any] {
        var properties: [String: Any] = [:]
        for key in children(of: path) where !perAccountOnly || (key.perAccount && key.type != .accounts) {
            properties[key.components.last!] = property(key)
        }
        return ["type": "object", "properties": properties, "additionalProperties": open]
    }

    /// The parent of an `accounts` key.
    private func parent(of key: ConfigKey) -> ConfigKey? {
        let path = key.components.dropLast().joined(separator: ".")
        return spec.configKeys.first { $0.path == path }
    }

    private func property(_ key: ConfigKey) -> [String: Any] {
        var out: [String: Any]
        switch key.type {
        case .object: out = object(key.path, open: key.open)
        case .passthrough: out = ["type": "object"]
        case .any: out = [:]
        case .string: out = ["type": "string"]
        case .int:
            out = ["type": "integer"]
            if let range = key.range {
                out["minimum"] = range.lowerBound
                out["maximum"] = range.upperBound
            }
        case .number:
            out = ["type": "number"]
            if let range = key.range {
                out["minimum"] = range.lowerBound
                out["maximum"] = range.upperBound
            }
        case .bool: out = ["type": "boolean"]
        case .stringArray: out = ["type": "array", "items": ["type": "string"]]
        case .stringMap: out = ["type": "object", "additionalProperties": ["type": "string"]]
        case .accounts:
            let section = parent(of: key)
            out = ["type": "object", "additionalProperties": object(section?.path, open: section?.open ?? false, perAccountOnly: true)]
        case .enumeration(let values): out = ["type": "string", "enum": values]
        }
        if !key.doc.isEmpty { out["description"] = key.doc }
        if let value = key.defaultValue {
            switch key.type {
            case .int: out["default"] = Int(value) ?? value
            case .number: out["default"] = Double(value) ?? value
            case .bool: out["default"] = value == "true"
            default: out["default"] = value
            }
        }
        if key.secret { out["writeOnly"] = true }
        return out
    }

    public func render() throws -> String {
        var root = object(nil)
        root["$schema"] = "http://json-schema.org/draft-07/schema#"
        root["$id"] = "https://openclaw.ai/schemas/openclaw-config.json"
        root["title"] = "OpenClaw config (openclaw.json)"
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
