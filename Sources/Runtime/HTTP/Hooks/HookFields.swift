// Sources/Runtime/HTTP/Hooks/HookFields.swift - what every hook endpoint reads and checks the same way

import ProtocolSupport

enum HookFields {
    /// A string field, trimmed; nil when missing, not a string, or blank.
    static func text(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    /// An explicit `agentId` must name a configured agent that `hooks.allowedAgentIds` admits.
    static func check(agent id: String, catalog: AgentCatalog, settings: HooksSettings) throws(HookError) {
        guard catalog.agent(id) != nil else { throw .invalid("unknown agent id \"\(id)\"") }
        guard settings.allows(agent: id) else { throw .invalid("agent \"\(id)\" is not in hooks.allowedAgentIds") }
    }

    /// A canonical session key must pass `hooks.allowedSessionKeyPrefixes`.
    static func check(sessionKey key: String, settings: HooksSettings) throws(HookError) {
        guard settings.allows(sessionKey: key) else {
            throw .invalid("session key \"\(key)\" does not start with one of hooks.allowedSessionKeyPrefixes")
        }
    }

    /// The agent runtime, or 503 while it is not running.
    static func runtime(_ hub: GatewayHub) throws(HookError) -> AgentRuntime {
        do {
            return try hub.agents
        } catch {
            throw HookError(status: .serviceUnavailable, message: "gateway_unavailable: the agent runtime is not running")
        }
    }
}
