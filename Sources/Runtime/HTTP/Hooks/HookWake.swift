// Sources/Runtime/HTTP/Hooks/HookWake.swift - POST <hooks.path>/wake

import Foundation
import Hummingbird
import Logging
import ProtocolSupport

/// `{text, mode?: "now" | "next-heartbeat"}`: queues `text` as a system event for the default
/// agent's main session (`SystemEvents`); its next run sees it. Upstream's `now` also starts a
/// heartbeat run at once; there is no heartbeat runner here, so `now` queues too.
struct HookWake: Sendable {
    enum Mode: String, Sendable {
        case now
        case nextHeartbeat = "next-heartbeat"
    }

    var text: String
    var mode: Mode

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
    }

    func perform(hub: GatewayHub) throws(HookError) -> Response {
        let runtime: AgentRuntime
        do {
            runtime = try hub.agents
        } catch {
            throw HookError(status: .serviceUnavailable, message: "gateway_unavailable: the agent runtime is not running")
        }
        let sessionKey = SessionKey.main(agent: hub.catalog.defaultId)
        let outcome = runtime.systemEvents.enqueue(text, sessionKey: sessionKey)
        let preview = text.count > 200 ? text.prefix(200) + "…" : Substring(text)
        hub.logger.info("[hooks] wake (\(mode.rawValue)) \(outcome.rawValue) for \(sessionKey): \(preview)")
        let answer: JSONValue = ["ok": true, "mode": .string(mode.rawValue), "eventOutcome": .string(outcome.rawValue)]
        return HTTPJSON.response(answer)
    }
}
