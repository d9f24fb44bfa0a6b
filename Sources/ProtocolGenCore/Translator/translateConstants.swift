// Sources/ProtocolGenCore/Translator/translateConstants.swift - versions, limits, detail codes, close codes

import Foundation

/// Translates `protocol.yaml` and `errors.yaml` into `Constants.swift`.
struct ConstantsTranslator {
    let spec: Spec

    func translate() -> SwiftFile {
        let info = spec.protocolInfo
        let version = SwiftDecl.type(
            SwiftTypeDecl(
                .enum, "ProtocolVersion", doc: SwiftDoc(info.doc),
                members: [
                    .property(
                        doc: SwiftDoc("Every version this server speaks, oldest first; each connection gets the highest one its client's range allows."),
                        modifiers: ["public", "static"], keyword: "let", name: "supported", type: "[Swift.Int]", value: "\(info.versions)"),
                    .property(
                        doc: SwiftDoc("The newest version this server speaks."), modifiers: ["public", "static"], keyword: "let", name: "current",
                        type: "Swift.Int", value: "\(info.version)"),
                    .property(
                        doc: SwiftDoc("The oldest version this server speaks: a client range must reach it."), modifiers: ["public", "static"], keyword: "let",
                        name: "minimumClient", type: "Swift.Int", value: "\(info.minClientVersion)"),
                    .property(
                        doc: SwiftDoc("The lowest version a probe-mode client range may reach."), modifiers: ["public", "static"], keyword: "let",
                        name: "minimumProbe", type: "Swift.Int", value: "\(info.minProbeVersion)"),
                ]
            )
        )
        let limits = SwiftDecl.type(
            SwiftTypeDecl(
                .enum, "ProtocolLimits", doc: SwiftDoc("Every limit the protocol names; handlers read these, never literals."),
                members: spec.limits.map { limit in
                    .property(
                        doc: SwiftDoc(limit.doc, remark: Spec.remark(limit.location, "limits", limit.name)), modifiers: ["public", "static"],
                        keyword: "let", name: SwiftNames.identifier(limit.name), type: "Swift.Int", value: "\(limit.value)"
                    )
                }
            )
        )
        let details = detailShapes()
        let closes = SwiftDecl.type(
            SwiftTypeDecl(
                .enum, "CloseCodes", doc: SwiftDoc("WebSocket close codes and their fixed reasons."),
                members: spec.closeCodes.map { close in
                    .property(
                        doc: SwiftDoc(close.doc, remark: Spec.remark(close.location, "closeCodes", close.name)), modifiers: ["public", "static"],
                        keyword: "let", name: SwiftNames.identifier(close.name), type: "CloseCodeInfo",
                        value: "CloseCodeInfo(code: \(close.code), reason: \(close.reason.map(SwiftNames.stringLiteral) ?? "nil"))"
                    )
                }
            )
        )
        let apiCheck = SwiftDecl.type(
            SwiftTypeDecl(
                .enum, "GeneratedAPIVersion", doc: SwiftDoc("Fails to compile when the generator and ProtocolSupport disagree."),
                conformances: ["ProtocolGenAPIVersion_1"], members: [])
        )
        let list = { (values: [String]) in "[" + values.map(SwiftNames.stringLiteral).joined(separator: ", ") + "]" }
        let scopeRules = SwiftDecl.type(
            SwiftTypeDecl(
                .enum, "ScopeRules", doc: SwiftDoc("Scope rules beyond the per-method table."),
                members: [
                    .property(
                        doc: SwiftDoc("Method name prefixes that always need `operator.admin`."), modifiers: ["public", "static"], keyword: "let",
                        name: "adminPrefixes", type: "[Swift.String]", value: list(info.adminPrefixes)),
                    .property(
                        doc: SwiftDoc("Methods only role `node` may call, and operators may not."), modifiers: ["public", "static"], keyword: "let",
                        name: "nodeMethods", type: "Swift.Set<Swift.String>", value: list(info.nodeMethods)),
                ]
            )
        )
        return SwiftFile(
            name: "Constants.swift", imports: ["ProtocolSupport"],
            declarations: [version, limits] + details + [closes, messages(), scopeRules, environment(), apiCheck]
        )
    }

    /// One function per versioned message: the wording of the newest version at or below the caller's.
    private func messages() -> SwiftDecl {
        let members: [SwiftDecl] = spec.messages.map { message in
            let parameters = message.placeholders.map { "\(SwiftNames.identifier($0)): Swift.String" }
            func literal(_ template: String) -> String {
                var text = SwiftNames.stringLiteral(template)
                for name in message.placeholders { text = text.replacingOccurrences(of: "{\(name)}", with: "\\(\(SwiftNames.identifier(name)))") }
                return text
            }
            var body = ["switch version {"]
            for (index, wording) in message.wordings.enumerated().reversed() {
                let reason = wording.closeReason.map(literal) ?? "nil"
                let pattern = index == 0 ? "default" : "case \(wording.version)..."
                body.append("\(pattern): return (\(literal(wording.message)), \(reason))")
            }
            body.append("}")
            return .function(
                doc: SwiftDoc(message.doc, remark: Spec.remark(message.location, "messages", message.name)), attributes: [],
                signature:
                    "public static func \(SwiftNames.identifier(message.name))(version: Swift.Int\(parameters.isEmpty ? "" : ", " + parameters.joined(separator: ", "))) -> (message: Swift.String, closeReason: Swift.String?)",
                body: body
            )
        }
        return .type(
            SwiftTypeDecl(
                .enum, "VersionedMessages", doc: SwiftDoc("Error texts whose wording depends on the connection's protocol version."), members: members))
    }

    /// `environment.yaml` → `EnvironmentVariable.stateDir == "OPENCLAW_STATE_DIR"`: the runtime never spells a name.
    private func environment() -> SwiftDecl {
        .type(
            SwiftTypeDecl(
                .enum, "EnvironmentVariable", doc: SwiftDoc("Every `OPENCLAW_*` variable the gateway and the CLI read or write."),
                members: spec.environmentVariables.map { variable in
                    let bare = variable.name.hasPrefix("OPENCLAW_") ? String(variable.name.dropFirst("OPENCLAW_".count)) : variable.name
                    return .property(
                        doc: SwiftDoc(variable.doc, remark: Spec.remark(variable.location, variable.name)), modifiers: ["public", "static"],
                        keyword: "let", name: SwiftNames.identifier(bare.lowercased().replacingOccurrences(of: "_", with: "-")), type: "Swift.String",
                        value: SwiftNames.stringLiteral(variable.name)
                    )
                }
            )
        )
    }

    /// `ErrorDetailCode.detailsType` and an `ErrorDetails` conformance per details type, when `errors.yaml` gives
    /// detail codes a typed `error.details` (`{doc, details: TypeName}`).
    private func detailShapes() -> [SwiftDecl] {
        let shaped = spec.detailCodes.compactMap { code in spec.detailShapes[code.name].map { (code.name, $0) } }
        guard !shaped.isEmpty else { return [] }
        var cases = shaped.map { "case .\(SwiftNames.identifier($0.0)): \($0.1).self" }
        if shaped.count < spec.detailCodes.count { cases.append("default: nil") }
        var declarations: [SwiftDecl] = [
            .type(
                SwiftTypeDecl(
                    .extension, "ErrorDetailCode",
                    members: [
                        .function(
                            doc: SwiftDoc("The type `error.details` has when it carries this code; nil when the spec declares none."), attributes: [],
                            signature: "public var detailsType: (any ErrorDetails.Type)?", body: ["switch self {"] + cases + ["}"]
                        )
                    ]
                )
            )
        ]
        var seen = Set<String>()
        for (_, type) in shaped where seen.insert(type).inserted {
            declarations.append(.type(SwiftTypeDecl(.extension, type, conformances: ["ErrorDetails"], members: [])))
        }
        return declarations
    }
}
