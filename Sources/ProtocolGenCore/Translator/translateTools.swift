// Sources/ProtocolGenCore/Translator/translateTools.swift - the built-in tool table, handler protocol and dispatch

import Foundation

/// Translates the spec's tools into `Tools.swift`: a table enum carrying each tool's description and
/// argument schema, a handler protocol with one typed requirement per tool, and a dispatch that
/// decodes the model's arguments strictly and encodes the result as the JSON text the model reads.
struct ToolsTranslator {
    let spec: Spec

    func translate() -> SwiftFile {
        SwiftFile(name: "Tools.swift", imports: ["ProtocolSupport"], declarations: [table(), handler(), dispatch()])
    }

    private func caseName(_ tool: ToolDecl) -> String { SwiftNames.identifier(tool.name) }

    private func table() -> SwiftDecl {
        var members: [SwiftDecl] = spec.tools.map { tool in
            .enumCase(doc: SwiftDoc(tool.doc, remark: Spec.remark(tool.location, tool.name)), name: caseName(tool), rawValue: tool.name, associated: nil)
        }
        members.append(
            .function(
                doc: SwiftDoc("What the model is told the tool does."), attributes: [], signature: "public var summary: Swift.String",
                body: ["switch self {"] + spec.tools.map { "case .\(caseName($0)): \(SwiftNames.stringLiteral($0.doc))" } + ["}"]
            )
        )
        let renderer = JSONSchemaRenderer(spec: spec)
        members.append(
            .function(
                doc: SwiftDoc("JSON Schema (draft-07, references inlined) of the arguments."), attributes: [],
                signature: "public var parametersSchema: Swift.String",
                body: ["switch self {"]
                    + spec.tools.map { tool in
                        "case .\(caseName(tool)): \(SwiftNames.stringLiteral((try? renderer.inlineSchema(of: tool.params)) ?? "{}"))"
                    } + ["}"]
            )
        )
        return .type(
            .stringEnum(
                "BuiltinTool", doc: SwiftDoc("Every built-in tool the spec declares."),
                conformances: ["Swift.CaseIterable", "Swift.Sendable"], members: members
            )
        )
    }

    private func handler() -> SwiftDecl {
        var members: [SwiftDecl] = [
            .requirement(doc: SwiftDoc("Whatever a tool needs to know about the run calling it."), signature: "associatedtype Context: Swift.Sendable")
        ]
        for tool in spec.tools {
            members.append(
                .requirement(
                    doc: SwiftDoc(tool.doc, remark: Spec.remark(tool.location, tool.name)),
                    signature: "func \(caseName(tool))(_ arguments: \(tool.params), context: Context) async throws -> \(tool.result)"
                )
            )
        }
        return .type(
            SwiftTypeDecl(
                .protocol, "BuiltinToolHandler", doc: SwiftDoc("Implements every built-in tool; each requirement is typed by the spec."),
                conformances: ["Swift.Sendable"], members: members
            )
        )
    }

    private func dispatch() -> SwiftDecl {
        var body = ["switch self {"]
        for tool in spec.tools {
            body.append("case .\(caseName(tool)):")
            body.append(
                "    return try Payload(await handler.\(caseName(tool))(arguments.decode(\(tool.params).self, method: rawValue), context: context)).erased")
        }
        body.append("}")
        return .type(
            SwiftTypeDecl(
                .extension, "BuiltinTool",
                members: [
                    .function(
                        doc: SwiftDoc(
                            """
                            Decodes the model's arguments, runs the tool, and returns its result as JSON.
                            - Throws: `InvalidParams` naming the tool when the arguments fail validation, or the tool's error.
                            """
                        ),
                        attributes: [],
                        signature:
                            "public func call<Handler: BuiltinToolHandler>(_ handler: Handler, arguments: RequestParams, context: Handler.Context) async throws -> EncodedJSON",
                        body: spec.tools.isEmpty ? [] : body
                    )
                ]
            )
        )
    }
}
