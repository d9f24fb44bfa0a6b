// Tests/ProtocolGenCoreTests/SnippetBasedReferenceTests+Docs.swift - JSON Schema and Markdown reference: YAML in, docs out

import Foundation
import ProtocolGenCore
import Testing

@Suite("Snippets: docs")
struct SnippetDocsTests {
    static let spec: KeyValuePairs<String, String> = [
        "spec/types/frames.yaml": #"""
        RequestFrame:
          doc: A request.
          frame: req
          fields:
            type: {const: req, doc: "Always `req`."}
            id: {type: string, minLength: 1, doc: "Echoed | back."}
            seq: {type: int?, nullable: true, minimum: 0, maximum: 9}
            params: {type: any?}
            tags: {type: "[string: [Mode]]"}
        Mode:
          doc: Closed modes.
          enum: [a, b]
        Status:
          doc: Open statuses.
          enum: [sent, failed]
          open: true
        """#,
        "spec/methods/m.yaml": "ping: {doc: Ping., params: RequestFrame, result: Status?}\n",
    ]

    private func docs() throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try GeneratorPipeline().docFiles(for: try Snippet.spec(Self.spec)).map { ($0.name, $0.contents) })
    }

    /// `value` as sorted-key JSON, so parsed and expected values compare whatever their Foundation types.
    private func canonical(_ value: Any?) throws -> String {
        let value = try #require(value)
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("A type becomes a JSON Schema definition")
    func schemaDefinitions() throws {
        let json = try #require(try docs()["protocol.schema.json"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let definitions = try #require(root["definitions"] as? [String: Any])
        let requestFrame: [String: Any] = [
            "type": "object",
            "description": "A request.",
            "additionalProperties": false,
            "required": ["type", "id", "tags"],
            "properties": [
                "type": ["const": "req", "description": "Always `req`."],
                "id": ["type": "string", "minLength": 1, "description": "Echoed | back."],
                "seq": ["anyOf": [["type": "integer"], ["type": "null"]], "minimum": 0, "maximum": 9] as [String: Any],
                "params": [String: Any](),
                "tags": ["type": "object", "additionalProperties": ["type": "array", "items": ["$ref": "#/definitions/Mode"]]] as [String: Any],
            ] as [String: Any],
        ]
        #expect(try canonical(definitions["RequestFrame"]) == canonical(requestFrame))
        #expect(try canonical(definitions["Mode"]) == canonical(["type": "string", "description": "Closed modes.", "enum": ["a", "b"]] as [String: Any]))
        #expect(
            try canonical(definitions["Status"])
                == canonical(["type": "string", "description": "Open statuses.", "examples": ["sent", "failed"]] as [String: Any])
        )
        let gatewayFrame: [String: Any] = [
            "oneOf": [["$ref": "#/definitions/RequestFrame"]],
            "discriminator": ["propertyName": "type", "mapping": ["req": "#/definitions/RequestFrame"]] as [String: Any],
        ]
        #expect(try canonical(definitions["GatewayFrame"]) == canonical(gatewayFrame))
        let methodParams: [String: Any] = [
            "description": "Params type of each method.", "properties": ["ping": ["$ref": "#/definitions/RequestFrame"]],
        ]
        #expect(try canonical(definitions["MethodParams"]) == canonical(methodParams))
        #expect(try canonical(root["oneOf"]) == canonical([["$ref": "#/definitions/RequestFrame"]]))
        #expect(root["$id"] as? String == "https://openclaw.ai/schemas/gateway-protocol-v3.json")
        #expect(json.hasSuffix("}\n"))
        #expect(json.contains(##""$ref" : "#/definitions/Mode""##), "slashes are not escaped")
    }

    @Test("A type becomes a table in protocol.md")
    func protocolReference() throws {
        let markdown = try #require(try docs()["protocol.md"])
        #expect(markdown.contains("| `ping` | [`RequestFrame`](#requestframe) | [`Status`](#status) or `null` | none | 3 | Ping. |\n"))
        #expect(
            markdown.contains(
                """
                ### RequestFrame

                A request.

                | Field | Type | v3 | |
                |---|---|---|---|
                | `type` | `"req"` | required | Always `req`. |
                | `id` | `string` | required | Echoed \\| back. Non-empty (min length 1). |
                | `seq` | `int` or `null` | optional |  ≥ 0. ≤ 9. |
                | `params` | `any` | optional |  |
                | `tags` | map of [`Mode`](#mode)[] | required |  |

                Unknown fields are rejected.

                ### Mode

                Closed modes.

                `a`, `b`

                Closed: any other value fails validation.

                ### Status

                Open statuses.

                `sent`, `failed`

                Open: clients must accept values not listed here.
                """
            )
        )
    }
}
