// Sources/ProtocolGenCore/Translator/translateMethods.swift - the method table, handler protocol and dispatch

import Foundation

/// Translates the spec's methods into `Methods.swift`: a table enum, a handler protocol with one
/// typed requirement per method, and a dispatch switch that decodes params and erases results.
struct MethodsTranslator {
    let spec: Spec

    func translate() -> SwiftFile {
        SwiftFile(name: "Methods.swift", imports: ["ProtocolSupport"], declarations: [table(), handler(), dispatch()])
    }

    private func caseName(_ method: MethodDecl) -> String { SwiftNames.identifier(method.name) }

    private func resultType(_ method: MethodDecl) -> String {
        method.result.swift + (method.resultOptional ? "?" : "")
    }

    private func table() -> SwiftDecl {
        var members: [SwiftDecl] = spec.methods.map { method in
            .enumCase(
                doc: SwiftDoc(method.doc, remark: Spec.remark(method.location, method.name)), name: caseName(method),
                rawValue: caseName(method).trimmingCharacters(in: ["`"]) == method.name ? nil : method.name, associated: nil
            )
        }
        members.append(
            .function(
                doc: SwiftDoc("Who may call it."), attributes: [], signature: "public var scope: MethodScope",
                body: ["switch self {"] + spec.methods.map { "case .\(caseName($0)): .\($0.scope.rawValue)" } + ["}"]
            )
        )
        members.append(
            .function(
                doc: SwiftDoc("The protocol versions it exists in."), attributes: [], signature: "public var versions: VersionRange",
                body: ["switch self {"]
                    + spec.methods.map { "case .\(caseName($0)): VersionRange(since: \($0.since)\($0.until.map { ", until: \($0)" } ?? ""))" } + ["}"]
            )
        )
        members.append(
            .function(
                doc: SwiftDoc("What `hello-ok.features.methods` lists for a connection speaking `version`."), attributes: [],
                signature: "public static func advertised(in version: Swift.Int) -> [GatewayMethod]",
                body: ["advertised.filter { $0.versions.contains(version) }"]
            )
        )
        if spec.methods.contains(where: { $0.idempotency != nil }) {
            var cases = spec.methods.compactMap { method in method.idempotency.map { "case .\(caseName(method)): \(ruleLiteral($0))" } }
            if cases.count < spec.methods.count { cases.append("default: nil") }
            members.append(
                .function(
                    doc: SwiftDoc("How a retry with the same idempotency key is answered; nil for methods without a key."), attributes: [],
                    signature: "public var idempotency: IdempotencyRule?", body: ["switch self {"] + cases + ["}"]
                )
            )
        }
        let advertised = spec.methods.filter { !$0.handshake }
        members.append(
            .property(
                doc: SwiftDoc("Methods dispatched after the handshake, as `hello-ok.features.methods` lists them."),
                modifiers: ["public", "static"], keyword: "let", name: "advertised", type: "[GatewayMethod]",
                value: "[" + advertised.map { ".\(caseName($0))" }.joined(separator: ", ") + "]"
            )
        )
        return .type(
            .stringEnum(
                "GatewayMethod", doc: SwiftDoc("Every RPC method the spec declares."),
                conformances: ["Swift.CaseIterable", "Swift.Sendable"], members: members
            )
        )
    }

    /// The `IdempotencyRule` a method's `idempotency:` spells.
    private func ruleLiteral(_ rule: Idempotency) -> String {
        "IdempotencyRule(namespace: \(SwiftNames.stringLiteral(rule.namespace)), whileRunning: .\(rule.whileRunning.rawValue), errors: .\(rule.errors.rawValue))"
    }

    private func signature(_ method: MethodDecl) -> String {
        let params = method.params.map { "_ params: \($0), " } ?? ""
        return "func \(caseName(method))(\(params)context: Context) async throws -> Payload<\(resultType(method))>"
    }

    private func handler() -> SwiftDecl {
        var members: [SwiftDecl] = [
            .requirement(doc: SwiftDoc("Whatever a handler needs to know about the caller."), signature: "associatedtype Context: Swift.Sendable")
        ]
        for method in spec.methods where !method.handshake {
            members.append(.requirement(doc: SwiftDoc(method.doc, remark: Spec.remark(method.location, method.name)), signature: signature(method)))
        }
        if spec.methods.contains(where: { $0.idempotency != nil }) {
            members.append(
                .requirement(
                    doc: SwiftDoc(
                        "Runs `call` (a method with `idempotency:` in the spec) at most once per key: a retry gets the first attempt's answer as `key.rule` says, and `call` gets the context it claims the key through."
                    ),
                    signature:
                        "func idempotent(_ key: IdempotencyKey, context: Context, call: (Context) async throws -> EncodedJSON) async throws -> EncodedJSON"
                )
            )
        }
        return .type(
            SwiftTypeDecl(
                .protocol, "GatewayMethodHandler",
                doc: SwiftDoc("Implements every method of the table; each requirement is typed by the spec."),
                conformances: ["Swift.Sendable"], members: members
            )
        )
    }

    private func dispatch() -> SwiftDecl {
        var body = ["switch self {"]
        for method in spec.methods {
            body.append("case .\(caseName(method)):")
            if method.handshake {
                body.append("    throw HandshakeOnlyMethod(method: rawValue)")
                continue
            }
            if let rule = method.idempotency, let params = method.params {
                body += [
                    "    let decoded = try params.decode(\(params).self, method: rawValue)",
                    "    let key = IdempotencyKey(decoded.\(SwiftNames.identifier(rule.key)), rule: \(ruleLiteral(rule)))",
                    "    return try await handler.idempotent(key, context: context) { context in",
                    "        try await handler.\(caseName(method))(decoded, context: context).erased",
                    "    }",
                ]
                continue
            }
            let arguments: String
            if let params = method.params {
                let message = method.invalidParams.map { ", message: \(SwiftNames.stringLiteral($0))" } ?? ""
                arguments = "params.decode(\(params).self, method: rawValue\(message)), context: context"
            } else {
                arguments = "context: context"
            }
            body.append("    return try await handler.\(caseName(method))(\(arguments)).erased")
        }
        body.append("}")
        return .type(
            SwiftTypeDecl(
                .extension, "GatewayMethod",
                members: [
                    .function(
                        doc: SwiftDoc(
                            """
                            Decodes the params this method takes, calls its handler, and returns the encoded result.
                            - Throws: `InvalidParams` when params fail validation, `HandshakeOnlyMethod` for `connect`, or the handler's error.
                            """
                        ),
                        attributes: [],
                        signature:
                            "public func call<Handler: GatewayMethodHandler>(_ handler: Handler, params: RequestParams, context: Handler.Context) async throws -> EncodedJSON",
                        body: body
                    )
                ]
            )
        )
    }
}
