// Sources/Runtime/Methods/HeartbeatMethods.swift - `wake` and `set-heartbeats`

import Foundation
import Generated

extension SystemMethods {
    /// Queues the text for the default agent's main session; `now` also asks for a beat (reason `wake`).
    func wake(_ params: WakeParams, context: MethodContext) async throws -> Payload<OkResult> {
        let text = params.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return try Payload(OkResult(ok: false)) }
        let sessionKey = SessionKey.main(agent: hub.catalog.defaultId)
        let outcome = try hub.wake(text: text, sessionKey: sessionKey, now: params.mode == .now, reason: "wake")
        hub.logger.info("[heartbeat] wake (\(params.mode.rawValue)) \(outcome.rawValue) for \(sessionKey)")
        return try Payload(OkResult(ok: true))
    }

    func setHeartbeats(_ params: SetHeartbeatsParams, context: MethodContext) async throws -> Payload<SetHeartbeatsResult> {
        try hub.automation.heartbeat.setEnabled(params.enabled)
        hub.logger.info("[heartbeat] heartbeats \(params.enabled ? "enabled" : "disabled")")
        return try Payload(SetHeartbeatsResult(ok: true, enabled: params.enabled))
    }
}
