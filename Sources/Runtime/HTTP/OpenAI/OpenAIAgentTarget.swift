// Sources/Runtime/HTTP/OpenAI/OpenAIAgentTarget.swift - which agent and session an OpenAI-compatible request runs in

import Foundation
import HTTPTypes
import Hummingbird

/// The agent and session key of a `/v1/chat/completions` or `/v1/responses` request
/// (reference/http.md §1 "Choosing the agent", "Session key rules"). The header names the agent
/// before `model` does; `model` is an agent target (`openclaw`, `openclaw/<id>` …), never a provider model.
struct OpenAIAgentTarget: Sendable, Equatable {
    var agent: AgentProfile
    var sessionKey: String

    /// Session keys of these namespaces belong to the gateway's own runs; an HTTP caller may not drive them.
    static let reservedSessionPrefixes = ["subagent:", "cron:", "acp:"]
    static let invalidModelMessage = "Invalid `model`. Use `openclaw` or `openclaw/<agentId>`."

    /// Resolves the target. `sessionPrefix` is `openai` or `openresponses`: a `user` gets the stable
    /// `agent:<id>:<prefix>-user:<user>`, no user a fresh `agent:<id>:<prefix>:<uuid>` per request.
    static func resolve(
        headers: HTTPFields, model: String?, user: String?, sessionPrefix: String, catalog: AgentCatalog
    ) throws(HTTPRouteError) -> OpenAIAgentTarget {
        var agentId = try explicitAgentId(headers: headers, model: model)
        var sessionKey: String?
        if let explicit = header(headers, "x-openclaw-session-key") {
            try checkNotReserved(explicit)
            let canonical = SessionKey.canonical(explicit, defaultAgent: agentId ?? catalog.defaultId)
            // A key that names its agent runs there; naming another one in the same request is a contradiction.
            if let owner = SessionKey.agentId(of: canonical) {
                if let chosen = agentId, chosen != owner {
                    throw .invalid("Session key \"\(explicit)\" belongs to agent \"\(owner)\", not \"\(chosen)\".")
                }
                agentId = owner
            }
            sessionKey = canonical
        }
        let id = agentId ?? catalog.defaultId
        guard let agent = catalog.agent(id) else { throw .invalid("Unknown agent \"\(id)\".") }
        if sessionKey == nil {
            if let user = user?.trimmingCharacters(in: .whitespacesAndNewlines), !user.isEmpty {
                sessionKey = "agent:\(agent.id):\(sessionPrefix)-user:\(user)"
            } else {
                sessionKey = "agent:\(agent.id):\(sessionPrefix):\(UUID().uuidString.lowercased())"
            }
        }
        return OpenAIAgentTarget(agent: agent, sessionKey: sessionKey!)
    }

    /// The agent id named by `x-openclaw-agent-id` / `x-openclaw-agent` or by `model`; nil means the default agent.
    static func explicitAgentId(headers: HTTPFields, model: String?) throws(HTTPRouteError) -> String? {
        if let raw = header(headers, "x-openclaw-agent-id") ?? header(headers, "x-openclaw-agent") {
            guard isAgentId(raw) else { throw .invalid("Invalid agent id \"\(raw)\" in the x-openclaw-agent-id header.") }
            return AgentID.normalize(raw)
        }
        guard let raw = model?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        let lowered = raw.lowercased()
        if lowered == "openclaw" || lowered == "openclaw/default" { return nil }
        for prefix in ["openclaw/", "openclaw:", "agent:"] where lowered.hasPrefix(prefix) {
            let id = String(raw.dropFirst(prefix.count))
            guard isAgentId(id) else { throw .invalid(invalidModelMessage) }
            return AgentID.normalize(id)
        }
        throw .invalid(invalidModelMessage)
    }

    /// `[a-z0-9][a-z0-9_-]{0,63}`, case-insensitive.
    static func isAgentId(_ text: String) -> Bool {
        let bytes = Array(text.lowercased().utf8)
        guard (1...64).contains(bytes.count) else { return false }
        func alnum(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
        return alnum(bytes[0]) && bytes.dropFirst().allSatisfy { alnum($0) || $0 == 0x5F || $0 == 0x2D }
    }

    /// Refuses `subagent:…`, `cron:…`, `acp:…`, bare or below `agent:<id>:`.
    static func checkNotReserved(_ key: String) throws(HTTPRouteError) {
        let lowered = key.lowercased()
        var rest = lowered
        let parts = lowered.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "agent" { rest = String(parts[2]) }
        for prefix in reservedSessionPrefixes where lowered.hasPrefix(prefix) || rest.hasPrefix(prefix) {
            throw .invalid("Session key \"\(key)\" is in the reserved \"\(prefix)\" namespace.")
        }
    }

    /// A header's trimmed value, nil when absent or blank.
    static func header(_ headers: HTTPFields, _ name: String) -> String? {
        guard let field = HTTPField.Name(name), let value = headers[field]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}
