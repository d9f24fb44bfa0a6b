// Sources/Runtime/Automation/Heartbeat/HeartbeatRunner.swift - one heartbeat: skip rules, the turn, the ack, delivery

import Foundation
import Generated
import Synchronization

/// What one beat did (upstream's `runHeartbeatOnce` answer).
enum BeatResult: Sendable, Equatable {
    case ran(durationMs: Int)
    case skipped(reason: String)
    case failed(reason: String)

    static let requestsInFlight = BeatResult.skipped(reason: "requests-in-flight")
    static let disabled = BeatResult.skipped(reason: "disabled")
}

/// Runs single beats for the scheduler and for cron's main-session jobs. A beat is an agent turn
/// in the agent's heartbeat session through the same lanes and store as every run: it never
/// interrupts a user's run (a busy session is `requests-in-flight`, retried by the caller), and
/// the answer is judged by upstream's rules (reference/automation.md §1.3–§1.5) before anything
/// is sent.
final class HeartbeatRunner: Sendable {
    /// Upstream's reminder-relay prompt for beats a cron job asked for.
    static let reminderPrompt =
        "A scheduled reminder has been triggered. The reminder text is in the system messages above. Relay it to the user in a helpful and friendly way; if it needs no message, reply HEARTBEAT_OK."
    /// How long the same alert text is not sent again to the same session.
    static let duplicateWindowMs = 24 * 3_600_000

    private struct State {
        var enabled = true
        /// The last alert sent per session, for duplicate suppression.
        var lastSent: [String: (text: String, at: Int)] = [:]
    }

    private unowned let hub: GatewayHub
    let clock: any AutomationClock
    private let state = Mutex(State())

    init(hub: GatewayHub, clock: any AutomationClock) {
        self.hub = hub
        self.clock = clock
    }

    /// `set-heartbeats`: in memory, not persisted.
    var enabled: Bool {
        get { state.withLock { $0.enabled } }
        set { state.withLock { $0.enabled = newValue } }
    }

    func beat(_ policy: HeartbeatPolicy, reason: String) async -> BeatResult {
        let started = clock.nowMs
        guard enabled, policy.intervalMs != nil || reason.hasPrefix("cron:") else { return .disabled }
        if let hours = policy.activeHours, !hours.contains(Date(timeIntervalSince1970: Double(started) / 1000)) {
            return .skipped(reason: "quiet-hours")
        }
        guard let runtime = try? hub.agents else { return .skipped(reason: "agents-unavailable") }
        let catalog = hub.catalog
        let sessionKey = policy.sessionKey(defaultAgent: catalog.defaultId)
        if !runtime.runs(in: sessionKey).isEmpty { return .requestsInFlight }
        let isCron = reason.hasPrefix("cron:")
        if !isCron, reason != "exec-event", Self.heartbeatFileIsEmpty(workspace: policy.workspace) {
            emit(status: .skipped, reason: "empty-heartbeat-file", started: started, useIndicator: false)
            return .skipped(reason: "empty-heartbeat-file")
        }
        let entry = try? runtime.store.entry(key: sessionKey)
        let target = HeartbeatTarget.resolve(policy, entry: entry)
        let tree = hub.config.withLock { $0.tree }
        var targetChannel: String?
        var targetAccount: String?
        if case .channel(let channel, _, let accountId) = target {
            targetChannel = channel
            targetAccount = accountId
        }
        let flags = HeartbeatTarget.visibility(tree: tree, channel: targetChannel, accountId: targetAccount)
        if !flags.showOk, !flags.showAlerts, !flags.useIndicator {
            emit(status: .skipped, reason: "alerts-disabled", started: started, useIndicator: false)
            return .skipped(reason: "alerts-disabled")
        }
        guard var agent = catalog.agent(policy.agentId) else { return .disabled }
        if let model = policy.model { agent.models = [model] }
        let prompt = isCron && runtime.systemEvents.hasPending(sessionKey: sessionKey) ? Self.reminderPrompt : policy.prompt
        let interval = Duration.milliseconds(policy.intervalMs ?? Int.max / 2)
        let request = RunRequest(
            runId: UUID().uuidString.lowercased(), origin: .heartbeat, sessionKey: sessionKey, agent: agent, message: prompt,
            timeout: min(hub.defaultRunTimeout, interval), extraSystemPrompt: nil, toolEventRecipient: nil, spawnedBy: nil, acceptedAt: started
        )
        let outcome: RunOutcome
        do {
            let run = try await runtime.admit(request)
            runtime.submit(run)
            guard let finished = await run.finished() else {
                return failed("the heartbeat run ended without an outcome", started: started, useIndicator: flags.useIndicator)
            }
            outcome = finished
        } catch {
            return failed(error.shape.message, started: started, useIndicator: flags.useIndicator)
        }
        if outcome.status == .error || outcome.wasAborted {
            return failed(outcome.failure?.message ?? outcome.stopReason, started: started, useIndicator: flags.useIndicator)
        }
        let restore = { [store = runtime.store] in
            guard let updatedAt = entry?.updatedAt else { return }
            _ = try? store.update(key: sessionKey) { $0.updatedAt = updatedAt }
        }
        let duration = { self.clock.nowMs - started }
        switch HeartbeatReply.classify(outcome.text, ackMaxChars: policy.ackMaxChars) {
        case let kind where kind == .empty || kind == .ack:
            restore()
            var sent = false
            if flags.showOk, case .channel(let channel, let to, let accountId) = target {
                sent = (try? await send(HeartbeatReply.token, channel: channel, to: to, accountId: accountId)) != nil
            }
            emit(
                status: kind == .empty ? .okEmpty : .okToken, reason: reason, started: started, useIndicator: flags.useIndicator,
                channel: targetChannel, accountId: targetAccount, silent: !sent
            )
            return .ran(durationMs: duration())
        case .alert(let text):
            let now = clock.nowMs
            let previous = state.withLock { $0.lastSent[sessionKey] }
            if let previous, previous.text == text, now - previous.at < Self.duplicateWindowMs {
                restore()
                emit(status: .skipped, reason: "duplicate", started: started, useIndicator: false, channel: targetChannel, accountId: targetAccount)
                return .ran(durationMs: duration())
            }
            guard case .channel(let channel, let to, let accountId) = target else {
                if case .none(let why) = target { emit(status: .skipped, reason: why, started: started, useIndicator: false) }
                return .ran(durationMs: duration())
            }
            guard flags.showAlerts else {
                restore()
                emit(status: .skipped, reason: "alerts-disabled", started: started, useIndicator: false, channel: channel, accountId: accountId)
                return .ran(durationMs: duration())
            }
            do {
                let used = try await send(text, channel: channel, to: to, accountId: accountId)
                state.withLock { $0.lastSent[sessionKey] = (text, clock.nowMs) }
                emit(
                    status: .sent, reason: reason, started: started, useIndicator: flags.useIndicator, channel: channel, accountId: used, to: to,
                    preview: String(text.prefix(200))
                )
                hub.logger.info("[heartbeat] \(policy.agentId): alert sent to \(channel) \(to)")
                return .ran(durationMs: duration())
            } catch let problem as DeliveryProblem {
                emit(status: .skipped, reason: problem.reason, started: started, useIndicator: false, channel: channel, accountId: accountId)
                return .ran(durationMs: duration())
            } catch {
                return failed("delivery failed: \(error)", started: started, useIndicator: flags.useIndicator)
            }
        default:
            return .ran(durationMs: duration())
        }
    }

    /// A target the channel layer refuses before sending (upstream's `checkReady`/`resolveTarget` skips).
    private struct DeliveryProblem: Error {
        var reason: String
    }

    /// Sends through the channel account; returns the account used.
    private func send(_ text: String, channel: String, to: String, accountId: String?) async throws -> String {
        let delivery: ReplyDelivery
        do {
            delivery = try ReplyDelivery.resolve(channel: channel, to: to, accountId: accountId, hub: hub)
        } catch {
            switch error {
            case .invalid(let message) where message.contains("unknown account"): throw DeliveryProblem(reason: "unknown-account")
            case .invalid: throw DeliveryProblem(reason: "no-target")
            case .unavailable: throw DeliveryProblem(reason: "channel-unavailable")
            }
        }
        try await delivery.send(text)
        return delivery.slot.account.accountId
    }

    private func failed(_ message: String, started: Int, useIndicator: Bool) -> BeatResult {
        hub.logger.warning("[heartbeat] beat failed: \(message)")
        emit(status: .failed, reason: message, started: started, useIndicator: useIndicator)
        return .failed(reason: message)
    }

    private func emit(
        status: HeartbeatStatus, reason: String?, started: Int, useIndicator: Bool, channel: String? = nil, accountId: String? = nil, to: String? = nil,
        preview: String? = nil, silent: Bool? = nil
    ) {
        let now = clock.nowMs
        let indicator: String? =
            switch status {
            case .okEmpty, .okToken: "ok"
            case .sent: "alert"
            case .failed: "error"
            default: nil
            }
        let event = HeartbeatEvent(
            ts: now, status: status, to: to, accountId: accountId, preview: preview, durationMs: now - started, hasMedia: status == .sent ? false : nil,
            reason: reason, channel: channel, silent: silent, indicatorType: useIndicator ? indicator : nil
        )
        hub.recordHeartbeat(event)
    }

    /// Whether `<workspace>/HEARTBEAT.md` exists and asks for nothing; the workspace is created on first use.
    static func heartbeatFileIsEmpty(workspace: String) -> Bool {
        try? FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        guard let data = FileManager.default.contents(atPath: workspace + "/" + HeartbeatFile.name) else { return false }
        return HeartbeatFile.isEffectivelyEmpty(String(decoding: data, as: UTF8.self))
    }
}
