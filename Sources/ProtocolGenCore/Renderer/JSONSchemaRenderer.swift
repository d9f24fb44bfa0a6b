// Sources/ProtocolGenCore/Renderer/JSONSchemaRenderer.swift - docs/protocol.schema.json and one schema per version

import Foundation

/// Renders a draft-07 JSON Schema of every frame and named type, like upstream's `protocol.schema.json`.
///
/// One schema per protocol version: a field appears in the versions it exists in, required in those that require it.
public struct JSONSchemaRenderer {
    let spec: Spec
    /// The version described.
    let version: Int

    public init(spec: Spec, version: Int? = nil) {
        self.spec = spec
        self.version = version ?? spec.protocolInfo.version
    }

    private func schema(_ type: TypeRef) -> [String: Any] {
        switch type {
        case .string: ["type": "string"]
        case .int: ["type": "integer"]
        case .number: ["type": "number"]
        case .bool: ["type": "boolean"]
        case .any, .raw: [:]
        case .array(let element): ["type": "array", "items": schema(element)]
        case .map(let value): ["type": "object", "additionalProperties": schema(value)]
        case .named(let name): ["$ref": "#/definitions/\(name)"]
        }
    }

    private func definition(_ type: TypeDecl) -> [String: Any] {
        switch type.kind {
        case .enumeration(let allValues, let open):
            let values = allValues.filter { type.versions(ofValue: $0, among: [version]) == [version] }
            return open ? ["type": "string", "description": type.doc, "examples": values] : ["type": "string", "description": type.doc, "enum": values]
        case .object(let allFields, _):
            let fields = allFields.filter { $0.versions(of: [version]) == [version] }
            var properties: [String: Any] = [:]
            for field in fields {
                var property = field.constant.map { ["const": $0] as [String: Any] } ?? schema(field.type)
                if field.nullable { property = ["anyOf": [property, ["type": "null"]]] }
                if let minimum = field.minimum { property["minimum"] = minimum }
                if let maximum = field.maximum { property["maximum"] = maximum }
                if let minLength = field.minLength { property["minLength"] = minLength }
                if !field.doc.isEmpty { property["description"] = field.doc }
                properties[field.name] = property
            }
            return [
                "type": "object", "description": type.doc, "properties": properties,
                "required": fields.filter { $0.isRequired(in: version) }.map(\.name), "additionalProperties": false,
            ]
        }
    }

    /// The schema of one named type with every reference inlined (models get no `definitions`):
    /// what a tool's arguments must look like.
    public func inlineSchema(of name: String) throws -> String {
        func resolve(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                if let ref = object["$ref"] as? String, let type = spec.type(named: String(ref.dropFirst("#/definitions/".count))) {
                    return resolve(definition(type))
                }
                return object.mapValues(resolve)
            }
            if let array = value as? [Any] { return array.map(resolve) }
            return value
        }
        guard let type = spec.type(named: name) else { return "{}" }
        let data = try JSONSerialization.data(withJSONObject: resolve(definition(type)), options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    public func render() throws -> String {
        var definitions: [String: Any] = [:]
        for type in spec.types { definitions[type.name] = definition(type) }
        let frames = spec.types.compactMap { type -> (String, String)? in
            if case .object(_, let frame?) = type.kind { return (frame, type.name) }
            return nil
        }
        definitions["GatewayFrame"] = [
            "oneOf": frames.map { ["$ref": "#/definitions/\($0.1)"] },
            "discriminator": ["propertyName": "type", "mapping": Dictionary(uniqueKeysWithValues: frames.map { ($0.0, "#/definitions/\($0.1)") })],
        ]
        definitions["MethodParams"] = [
            "description": "Params type of each method.",
            "properties": Dictionary(
                uniqueKeysWithValues: spec.methods.filter { spec.versions(since: $0.since, until: $0.until).contains(version) }.compactMap { method in
                    method.params.map { (method.name, ["$ref": "#/definitions/\($0)"]) }
                }
            ),
        ]
        let root: [String: Any] = [
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "https://openclaw.ai/schemas/gateway-protocol-v\(version).json",
            "title": "OpenClaw Gateway Protocol \(version)",
            "description": spec.protocolInfo.doc,
            "protocolVersion": version,
            "oneOf": frames.map { ["$ref": "#/definitions/\($0.1)"] },
            "definitions": definitions,
        ]
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
