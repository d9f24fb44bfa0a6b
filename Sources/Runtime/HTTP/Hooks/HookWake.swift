// Sources/Runtime/HTTP/Hooks/HookWake.swift - POST <hooks.path>/wake

import Foundation
import Hummingbird
import Logging
import ProtocolSupport

/// `{text, mode?: "now" | "next-heartbeat", agentId?, sessionKey?}`: queues `text` as a system event
/// for the main session of `agentId` (else the default agent), or for `sessionKey` — which, as
/// upstream, needs `mode: "now"`, `hooks.allowRequestSessionKey` and a match in a non-empty
/// `hooks.allowedSessionKeyPrefixes` (`SystemEvents`); that session's next run sees it. `now` also
/// asks the heartbeat runner for a beat at once (reason `hook:wake`).
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
        guard let text = HookFields.text(body["text"]) else {
            throw .invalid("text required: a non-empty string")
        }
        self.text = text
        // Like upstream, anything but "next-heartbeat" means now.
        mode = body["mode"]?.stringValue == Mode.nextHeartbeat.rawValue ? .nextHeartbeat : .now
        agentId = HookFields.text(body["agentId"]).map(AgentID.normalize)
        sessionKey = HookFields.text(body["sessionKey"])
    }

    /// The session the event waits for.
    func target(catalog: AgentCatalog, settings: HooksSettings) throws(HookError) -> String {
        if let agentId { try HookFields.check(agent: agentId, catalog: catalog, settings: settings) }
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
        try HookFields.check(sessionKey: key, settings: settings)
        return key
    }

    func perform(hub: GatewayHub, settings: HooksSettings) throws(HookError) -> Response {
        _ = try HookFields.runtime(hub)
        let sessionKey = try target(catalog: hub.catalog, settings: settings)
        let outcome: SystemEvents.Outcome
        do {
            outcome = try hub.wake(text: text, sessionKey: sessionKey, now: mode == .now, reason: "hook:wake")
        } catch {
            throw HookError(status: .serviceUnavailable, message: error.shape.message)
        }
        let preview = text.count > 200 ? text.prefix(200) + "…" : Substring(text)
        hub.logger.info("[hooks] wake (\(mode.rawValue)) \(outcome.rawValue) for \(sessionKey): \(preview)")
        let answer: JSONValue = ["ok": true, "mode": .string(mode.rawValue), "eventOutcome": .string(outcome.rawValue)]
        return HTTPJSON.response(answer)
    }
}
