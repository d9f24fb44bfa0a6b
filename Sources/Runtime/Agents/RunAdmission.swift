// Sources/Runtime/Agents/RunAdmission.swift - accepting a run: the user's message is stored before anyone is told

import Foundation
import Generated

extension AgentRuntime {
    /// Creates the session if needed and appends the user's message to its transcript, so an
    /// acknowledged message survives a crash, then builds the run (not yet queued: `submit` it
    /// after the caller has answered, so the answer precedes the run's events).
    func admit(_ request: RunRequest, label: String? = nil) async throws(GatewayError) -> ActiveRun {
        var request = request
        request.message = systemEvents.drain(into: request.message, sessionKey: request.sessionKey)
        let spawnedBy = request.spawnedBy
        let now = request.acceptedAt
        let entry: SessionEntry
        do {
            let route = request.route
            let stored = try await store.appendCreatingGrouped(
                key: request.sessionKey, agentId: request.agent.id,
                TranscriptMessage(role: "user", message: TranscriptFormat.user(request.message, at: now), timestamp: now, runId: request.runId)
            ) { entry in
                if let label { entry.label = label }
                if let spawnedBy { entry.spawnedBy = spawnedBy }
                if let route { entry.record(route) }
            }
            request.userMessageId = stored.record.id
            entry = stored.entry
        } catch {
            throw GatewayError(.unavailable, "could not record the message: \(error)")
        }
        let events = RunEvents(
            hub: hub, runId: request.runId, sessionKey: request.sessionKey, spawnedBy: request.spawnedBy,
            toolRecipient: request.toolEventRecipient, toolDetail: RunEvents.ToolDetail(verboseLevel: entry.verboseLevel)
        )
        return ActiveRun(request: request, events: events)
    }
}
