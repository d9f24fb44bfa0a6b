// Sources/Runtime/HTTP/ToolsInvokeRequest.swift - the body of POST /tools/invoke, read leniently like upstream

import Foundation
import Generated
import ProtocolSupport

/// `{tool | name, action?, args?, sessionKey?, agentId?, idempotencyKey?, dryRun?}`. Upstream reads
/// it by hand rather than by schema, so unknown fields are ignored; `dryRun` and
/// `idempotencyKey` are accepted and have no effect (a tool call is not deduplicated).
struct ToolsInvokeRequest: Sendable {
    var tool: String
    var action: String?
    var args: [String: JSONValue]
    var sessionKey: String?
    var agentId: String?

    init(_ body: JSONValue) throws(ToolsInvokeError) {
        // `name` wins over `tool` when both are sent.
        let name = Self.text(body["name"]) ?? Self.text(body["tool"])
        guard let name else { throw .invalid("tools.invoke requires body.tool (or body.name): the tool to run") }
        tool = name
        action = Self.text(body["action"])
        switch body["args"] {
        case nil, .null?: args = [:]
        case .object(let object)?: args = object
        default: throw .invalid("args must be a JSON object of the tool's arguments")
        }
        sessionKey = Self.text(body["sessionKey"])
        agentId = Self.text(body["agentId"])
    }

    /// The session the tool runs for: the main session (of `agentId`, else the default agent)
    /// when no key or `main` is given; a key owned by another agent than `agentId` is refused.
    func sessionKey(catalog: AgentCatalog) throws(ToolsInvokeError) -> String {
        let agentId = agentId.map(AgentID.normalize)
        if let agentId, catalog.agent(agentId) == nil { throw .invalid("unknown agent id \"\(agentId)\"") }
        guard let sessionKey, sessionKey != SessionKey.mainKey else { return SessionKey.main(agent: agentId ?? catalog.defaultId) }
        let key = SessionKey.canonical(sessionKey, defaultAgent: agentId ?? catalog.defaultId)
        if let agentId, let owner = SessionKey.agentId(of: key), owner != agentId {
            throw .invalid("session key \"\(key)\" belongs to agent \"\(owner)\", not \"\(agentId)\"")
        }
        return key
    }

    /// `args` as JSON bytes, with `action` merged in when the tool takes an `action` argument and `args` lacks one.
    func arguments(for tool: BuiltinTool) -> [UInt8] {
        var merged = args
        if let action, merged["action"] == nil,
            let schema = try? WireJSON.decode(JSONValue.self, from: Data(tool.parametersSchema.utf8)), schema["properties"]?["action"] != nil
        {
            merged["action"] = .string(action)
        }
        return (try? WireJSON.encode(JSONValue.object(merged))) ?? Array("{}".utf8)
    }

    private static func text(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }
}
