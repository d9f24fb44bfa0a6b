// Sources/ProtocolGenCore/Translator/translateClient.swift - the operator client's typed calls and events

import Foundation

/// Translates the spec's methods and events into `Client.swift`: a `GatewayCaller` protocol the operator client
/// conforms to, one typed call per method (params and result are the spec's types, so a renamed field is a compile
/// error in every caller), params validation for the untyped `gateway call`, and inbound events as a typed enum.
struct ClientTranslator {
    let spec: Spec

    func translate() -> SwiftFile {
        SwiftFile(name: "Client.swift", imports: ["ProtocolSupport"], declarations: [caller(), emptyParams(), calls(), validation(), events()])
    }

    private func caseName(_ name: String) -> String { SwiftNames.identifier(name) }

    private func caller() -> SwiftDecl {
        .type(
            SwiftTypeDecl(
                .protocol, "GatewayCaller",
                doc: SwiftDoc("A connection that sends one request and decodes its answer; the typed calls below are built on it."),
                conformances: ["Swift.Sendable"],
                members: [
                    .requirement(
                        doc: SwiftDoc(
                            """
                            Sends `method` with `params` (nil: no params) and decodes the answer as `Result`. For a two-phase method the \
                            first (`accepted`) answer goes to `onAccepted` and the final one is returned.
                            """
                        ),
                        signature: """
                            func callGateway<Params: Swift.Encodable & Swift.Sendable, Result: Swift.Decodable & Swift.Sendable>(\
                            _ method: GatewayMethod, params: Params?, as type: Result.Type, twoPhase: Swift.Bool, timeoutMs: Swift.Int?, \
                            onAccepted: (@Sendable (Result) -> Swift.Void)?) async throws -> Result
                            """
                    )
                ]
            )
        )
    }

    private func emptyParams() -> SwiftDecl {
        .type(
            SwiftTypeDecl(
                .struct, "EmptyParams", doc: SwiftDoc("The params of a call that takes none (sent as no `params` at all)."),
                conformances: ["Swift.Encodable", "Swift.Sendable"],
                members: [.function(doc: nil, attributes: [], signature: "public init()", body: [])]
            )
        )
    }

    private func calls() -> SwiftDecl {
        var members: [SwiftDecl] = []
        for method in spec.methods where !method.handshake {
            let name = caseName(method.name)
            let result = method.result.swift + (method.resultOptional ? "?" : "")
            var arguments: [String] = []
            if let params = method.params { arguments.append("_ params: \(params)") }
            arguments.append("timeoutMs: Swift.Int? = nil")
            if method.twoPhase { arguments.append("onAccepted: (@Sendable (\(result)) -> Swift.Void)? = nil") }
            let params = method.params == nil ? "Swift.Optional<EmptyParams>.none" : "params"
            members.append(
                .function(
                    doc: SwiftDoc(method.doc, remark: Spec.remark(method.location, method.name)), attributes: [],
                    signature: "public func \(name)(\(arguments.joined(separator: ", "))) async throws -> \(result)",
                    body: [
                        "try await callGateway(.\(name), params: \(params), as: \(result).self, twoPhase: \(method.twoPhase), timeoutMs: timeoutMs, onAccepted: \(method.twoPhase ? "onAccepted" : "nil"))"
                    ]
                )
            )
        }
        return .type(SwiftTypeDecl(.extension, "GatewayCaller", members: members))
    }

    private func validation() -> SwiftDecl {
        var body = ["switch self {"]
        for method in spec.methods {
            if let params = method.params {
                body.append("case .\(caseName(method.name)): _ = try params.decode(\(params).self, method: rawValue)")
            } else {
                body.append("case .\(caseName(method.name)): break")
            }
        }
        body.append("}")
        return .type(
            SwiftTypeDecl(
                .extension, "GatewayMethod",
                members: [
                    .function(
                        doc: SwiftDoc("Checks params as the server will, so `gateway call` can refuse bad ones with the server's own message."),
                        attributes: [], signature: "public func validate(_ params: RequestParams) throws(InvalidParams)", body: body
                    ),
                    .function(
                        doc: SwiftDoc("Answers twice: `accepted` at once, then the final answer."), attributes: [],
                        signature: "public var isTwoPhase: Swift.Bool",
                        body: ["switch self {"] + spec.methods.map { "case .\(caseName($0.name)): \($0.twoPhase)" } + ["}"]
                    ),
                ]
            )
        )
    }

    private func events() -> SwiftDecl {
        var members: [SwiftDecl] = spec.events.map { event in
            .enumCase(
                doc: SwiftDoc(event.doc, remark: Spec.remark(event.location, event.name)), name: caseName(event.name), rawValue: nil, associated: event.payload)
        }
        members.append(
            .enumCase(
                doc: SwiftDoc("An event this build does not know (a newer gateway's): its name and raw payload."), name: "unknown", rawValue: nil,
                associated: "Swift.String, JSONValue?")
        )
        var body = ["let data = try WireJSON.encode(payload ?? .null)", "switch event {"]
        for event in spec.events {
            body.append("case \"\(event.name)\": return .\(caseName(event.name))(try WireJSON.decode(\(event.payload).self, from: data))")
        }
        body.append("default: return .unknown(event, payload)")
        body.append("}")
        members.append(
            .function(
                doc: SwiftDoc("Decodes an event frame's payload by its name; an unknown name is `.unknown`, a malformed payload throws."),
                attributes: [], signature: "public static func decode(event: Swift.String, payload: JSONValue?) throws -> InboundEvent", body: body
            )
        )
        return .type(
            SwiftTypeDecl(
                .enum, "InboundEvent", doc: SwiftDoc("An event as a client receives it, typed by the spec."),
                conformances: ["Swift.Sendable"], members: members
            )
        )
    }
}
