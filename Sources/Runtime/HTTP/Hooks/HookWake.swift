// Sources/Runtime/HTTP/Hooks/HookWake.swift - POST <hooks.path>/wake

import Foundation
import Hummingbird
import Logging
import ProtocolSupport

/// `{text, mode?: "now" | "next-heartbeat", agentId?, sessionKey?}`: queues `text` as a system event
/// for the main session of `agentId` (else the default agent), or for `sessionKey` — which, as
/// upstream, needs `mode: "now"`, `hooks.allowRequestSessionKey` and a match in a non-empty
/// `hooks.allowedSessionKeyPrefixes` (`SystemEvents`); that session's next run sees it. Upstream's
/// `now` also starts a heartbeat run at once; there is no heartbeat runner here, so `now` queues too.
struct HookWake: Sendable {
    enum Mode: String, Sendable {
        case now
        case nextHeartbeat = "next-heartbeat"
    }

    var text: String
    var mode: Mode
    var agentId: String?
    var sessionKey: String?

    init(text: String, mode: Mode) {
        self.text = text
        self.mode = mode
    }

    init(_ body: JSONValue) throws(HookError) {
        guard let text = body["text"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw .invalid("text required: a non-empty string")
        }
        self.text = text
        // Like upstream, anything but "next-heartbeat" means now.
        mode = body["mode"]?.stringValue == Mode.nextHeartbeat.rawValue ? .nextHeartbeat : .now
        let field = { (name: String) -> String? in
            guard let value = body[name]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        agentId = field("agentId").map(AgentCatalog.normalize)
        sessionKey = field("sessionKey")
    }

    /// The session the event waits for.
    func target(catalog: AgentCatalog, settings: HooksSettings) throws(HookError) -> String {
        if let agentId {
            guard catalog.agent(agentId) != nil else { throw .invalid("unknown agent id \"\(agentId)\"") }
            guard settings.allows(agent: agentId) else { throw .invalid("agent \"\(agentId)\" is not in hooks.allowedAgentIds") }
        }
        let owner = agentId ?? catalog.defaultId
        guard let sessionKey else { return SessionKey.main(agent: owner) }
        guard mode == .now else { throw .invalid("sessionKey requires mode \"now\"") }
        guard settings.allowRequestSessionKey, !settings.allowedSessionKeyPrefixes.isEmpty else {
            throw .invalid("sessionKey is not accepted from requests; set hooks.allowRequestSessionKey and hooks.allowedSessionKeyPrefixes")
        }
        let key = SessionKey.canonical(sessionKey, defaultAgent: owner)
        if let agentId, SessionKey.agentId(of: key) != agentId {
            throw .invalid("session key \"\(key)\" does not belong to agent \"\(agentId)\"")
        }
        guard settings.allows(sessionKey: key) else {
            throw .invalid("session key \"\(key)\" does not start with one of hooks.allowedSessionKeyPrefixes")
        }
        return key
    }

    func perform(hub: GatewayHub, settings: HooksSettings) throws(HookError) -> Response {
        let runtime: AgentRuntime
        do {
            runtime = try hub.agents
        } catch {
            throw HookError(status: .serviceUnavailable, message: "gateway_unavailable: the agent runtime is not running")
        }
        let sessionKey = try target(catalog: hub.catalog, settings: settings)
        let outcome = runtime.systemEvents.enqueue(text, sessionKey: sessionKey)
        let preview = text.count > 200 ? text.prefix(200) + "…" : Substring(text)
        hub.logger.info("[hooks] wake (\(mode.rawValue)) \(outcome.rawValue) for \(sessionKey): \(preview)")
        let answer: JSONValue = ["ok": true, "mode": .string(mode.rawValue), "eventOutcome": .string(outcome.rawValue)]
        return HTTPJSON.response(answer)
    }
}
