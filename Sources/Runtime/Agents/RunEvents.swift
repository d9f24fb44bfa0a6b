// Sources/Runtime/Agents/RunEvents.swift - one run's `agent` and `chat` events

import Foundation
import Generated
import ProtocolSupport
import Synchronization

/// Emits a run's events: `agent` with the run's own `seq`, and the `chat` states derived from it
/// (deltas throttled to one per `chatDeltaInterval`, each carrying the cumulative text). Tool steps
/// go only to the connection that started the run with `caps: ["tool-events"]`, as targeted frames.
final class RunEvents: Sendable {
    /// How much of a tool step to show, from the session's verbose level (`off`, `on`, `full`).
    enum ToolDetail: Sendable {
        case none, summary, full

        init(verboseLevel: String?) {
            switch verboseLevel {
            case "off": self = .none
            case "on": self = .summary
            default: self = .full
            }
        }
    }

    static let chatDeltaInterval: Duration = .milliseconds(150)

    private struct State {
        var seq = 0
        var lastChatDelta: ContinuousClock.Instant?
        var chatSentText = ""
    }

    private unowned let hub: GatewayHub
    let runId: String
    let sessionKey: String
    let spawnedBy: String?
    private let toolRecipient: Connection?
    private let toolDetail: ToolDetail
    private let state = Mutex(State())

    init(hub: GatewayHub, runId: String, sessionKey: String, spawnedBy: String?, toolRecipient: Connection?, toolDetail: ToolDetail) {
        self.hub = hub
        self.runId = runId
        self.sessionKey = sessionKey
        self.spawnedBy = spawnedBy
        self.toolRecipient = toolDetail == .none ? nil : toolRecipient
        self.toolDetail = toolDetail
    }

    /// The run's latest agent-event `seq`.
    var seq: Int { state.withLock { $0.seq } }

    func lifecycle(_ phase: String, _ extra: [String: JSONValue] = [:]) {
        var data = extra
        data["phase"] = .string(phase)
        broadcastAgent(stream: "lifecycle", data: data)
    }

    /// New assistant text: an `agent` event for every delta, a `chat` delta at most once per interval.
    func assistant(text: String, delta: String) {
        let seq = broadcastAgent(stream: "assistant", data: ["text": .string(text), "delta": .string(delta)])
        let now = ContinuousClock.now
        // `deltaText` extends what the last delta sent; text that does not start with it (a rewrite) is sent
        // whole with `replace` (v4 fields: a v3 connection gets the cumulative `message` only).
        let delta = state.withLock { state -> (text: String, replace: Bool)? in
            if let last = state.lastChatDelta, now - last < Self.chatDeltaInterval { return nil }
            state.lastChatDelta = now
            defer { state.chatSentText = text }
            return text.hasPrefix(state.chatSentText) ? (String(text.dropFirst(state.chatSentText.count)), false) : (text, true)
        }
        guard let delta else { return }
        broadcastChat(
            ChatEvent(
                runId: runId, sessionKey: sessionKey, seq: seq, state: .delta, message: TranscriptFormat.chatMessage(text, at: Int(Clock.nowMs)),
                deltaText: delta.text, replace: delta.replace ? true : nil
            )
        )
    }

    /// A tool step; `result` is left out unless the session's verbose level is `full`.
    func tool(phase: String, name: String, callId: String, arguments: JSONValue? = nil, result: String? = nil, isError: Bool? = nil) {
        let seq = state.withLock { state -> Int in
            state.seq += 1
            return state.seq
        }
        guard let toolRecipient else { return }
        var data: [String: JSONValue] = ["phase": .string(phase), "name": .string(name), "toolCallId": .string(callId)]
        if let arguments { data["args"] = arguments }
        if let result, toolDetail == .full { data["result"] = .string(result) }
        if let isError { data["isError"] = .bool(isError) }
        let event = AgentEvent(runId: runId, seq: seq, stream: "tool", ts: Int(Clock.nowMs), data: data, sessionKey: sessionKey, spawnedBy: spawnedBy)
        if let outbound = try? OutboundEvent.agent(event) { toolRecipient.sendTargeted(outbound) }
    }

    /// The terminal events of a run: lifecycle `end` (or `error`) and the `chat` state, or only
    /// `chat` `aborted` for a run that never started.
    func finish(_ outcome: RunOutcome) {
        guard let startedAt = outcome.startedAt else {
            chatAborted(text: "", stopReason: outcome.stopReason)
            return
        }
        let times: [String: JSONValue] = ["startedAt": .int(startedAt), "endedAt": .int(outcome.endedAt)]
        if let failure = outcome.failure {
            lifecycle("error", times.merging(["error": .string(failure.message)]) { $1 })
            chatError(failure, stopReason: outcome.stopReason)
        } else if outcome.wasAborted {
            lifecycle("end", times.merging(["aborted": true, "stopReason": .string(outcome.stopReason)]) { $1 })
            chatAborted(text: outcome.text, stopReason: outcome.stopReason)
        } else {
            lifecycle("end", times)
            chatFinal(text: outcome.text, usage: outcome.usage, stopReason: outcome.stopReason)
        }
    }

    func chatFinal(text: String, usage: ChatUsage?, stopReason: String) {
        broadcastChat(
            ChatEvent(
                runId: runId, sessionKey: sessionKey, seq: seq, state: .final, message: TranscriptFormat.chatMessage(text, at: Int(Clock.nowMs)), usage: usage,
                stopReason: stopReason))
    }

    func chatAborted(text: String, stopReason: String) {
        broadcastChat(
            ChatEvent(
                runId: runId, sessionKey: sessionKey, seq: seq, state: .aborted,
                message: text.isEmpty ? nil : TranscriptFormat.chatMessage(text, at: Int(Clock.nowMs)), stopReason: stopReason
            )
        )
    }

    func chatError(_ failure: RunFailure, stopReason: String) {
        broadcastChat(
            ChatEvent(
                runId: runId, sessionKey: sessionKey, seq: seq, state: .error, errorMessage: failure.message, errorKind: failure.kind, stopReason: stopReason))
    }

    @discardableResult
    private func broadcastAgent(stream: String, data: [String: JSONValue]) -> Int {
        let seq = state.withLock { state -> Int in
            state.seq += 1
            return state.seq
        }
        guard hub.hasConnectedClients else { return seq }
        let event = AgentEvent(runId: runId, seq: seq, stream: stream, ts: Int(Clock.nowMs), data: data, sessionKey: sessionKey, spawnedBy: spawnedBy)
        if let outbound = try? OutboundEvent.agent(event) { hub.broadcast(outbound) }
        return seq
    }

    private func broadcastChat(_ event: ChatEvent) {
        guard hub.hasConnectedClients else { return }
        if let outbound = try? OutboundEvent.chat(event) { hub.broadcast(outbound) }
    }
}
