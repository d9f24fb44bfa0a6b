// Sources/Runtime/Automation/Cron/CronJobRunner.swift - what one run of a job does

import Foundation
import Generated

/// Runs one job (upstream's `service/timer.ts` and `isolated-agent/run.ts`). A main job queues its
/// text for the agent's main session and, with `wakeMode: now`, beats at once (waiting up to two
/// minutes for a busy session). An isolated job is a fresh agent turn in `agent:<id>:cron:<jobId>`
/// whose answer is announced to a chat; when it was to be delivered and was not, a summary is
/// queued for the main session instead, so the user still hears of it.
struct CronJobRunner: Sendable {
    struct Result: Sendable {
        var status: CronRunStatus
        var error: String?
        var summary: String?
        var sessionId: String?
        var sessionKey: String?
    }

    let hub: GatewayHub
    let clock: any AutomationClock
    let heartbeat: HeartbeatScheduler

    func run(_ job: CronJob) async -> Result {
        let catalog = hub.catalog
        let agent = catalog.agent(job.agentId) ?? catalog.defaultAgent
        switch job.payload.kind {
        case .agentTurn: return await isolated(job, agent: agent)
        default: return await main(job, agentId: agent.id)
        }
    }

    private func main(_ job: CronJob, agentId: String) async -> Result {
        let text = job.payload.text ?? ""
        let sessionKey = SessionKey.main(agent: agentId)
        do {
            _ = try hub.agents.systemEvents.enqueue(text, sessionKey: sessionKey)
        } catch {
            return Result(status: .error, error: error.shape.message, summary: text, sessionKey: sessionKey)
        }
        guard job.wakeMode == .now else { return Result(status: .ok, summary: text, sessionKey: sessionKey) }
        let reason = "cron:\(job.id)"
        let deadline = clock.nowMs + CronService.mainJobBusyWaitMs
        while true {
            let beat = await heartbeat.runOnce(agentId: agentId, reason: reason)
            switch beat {
            case .requestsInFlight where clock.nowMs < deadline:
                do { try await clock.sleep(untilMs: clock.nowMs + CronService.mainJobBusyRetryMs) } catch {
                    return Result(status: .error, error: "cancelled", summary: text, sessionKey: sessionKey)
                }
                continue
            case .requestsInFlight:
                heartbeat.requestNow(reason: reason)
                return Result(status: .ok, summary: text, sessionKey: sessionKey)
            case .ran:
                return Result(status: .ok, summary: text, sessionKey: sessionKey)
            case .skipped(let why):
                return Result(status: .skipped, error: why, summary: text, sessionKey: sessionKey)
            case .failed(let why):
                return Result(status: .error, error: why, summary: text, sessionKey: sessionKey)
            }
        }
    }

    private func isolated(_ job: CronJob, agent: AgentProfile) async -> Result {
        let sessionKey = "agent:\(agent.id):cron:\(job.id)"
        let runtime: AgentRuntime
        do {
            runtime = try hub.agents
        } catch {
            return Result(status: .error, error: error.shape.message, sessionKey: sessionKey)
        }
        let now = clock.nowMs
        // Every run starts a fresh transcript; the old ones stay readable.
        if (try? runtime.store.entry(key: sessionKey)) != nil { _ = try? runtime.store.reset(key: sessionKey, now: now) }
        var agent = agent
        if let model = job.payload.model, !model.isEmpty { agent.models = [model] }
        let delivery = CronJobRules.delivery(of: job)
        let request = RunRequest(
            runId: UUID().uuidString.lowercased(), origin: .cron, sessionKey: sessionKey, agent: agent,
            message: prompt(job, now: now, delivers: delivery != nil),
            timeout: .seconds(job.payload.timeoutSeconds ?? CronService.agentTurnTimeoutSeconds), extraSystemPrompt: nil, toolEventRecipient: nil,
            spawnedBy: nil, acceptedAt: now
        )
        let outcome: RunOutcome
        do {
            let run = try await runtime.admit(request, label: "Cron: \(job.name)")
            runtime.submit(run)
            guard let finished = await withTaskCancellationHandler(operation: { await run.finished() }, onCancel: { run.abort(reason: "aborted") }) else {
                return Result(status: .error, error: "the run ended without an outcome", sessionKey: sessionKey)
            }
            outcome = finished
        } catch {
            return Result(status: .error, error: error.shape.message, sessionKey: sessionKey)
        }
        let text = outcome.text.trimmingCharacters(in: .whitespacesAndNewlines)
        var result = Result(status: .ok, summary: text.isEmpty ? nil : text, sessionId: outcome.sessionId, sessionKey: sessionKey)
        if outcome.status == .error || outcome.wasAborted {
            result.status = .error
            result.error = outcome.failure?.message ?? outcome.stopReason
        }
        guard let delivery else { return result }
        var delivered = false
        if result.status == .ok, HeartbeatReply.classify(text, ackMaxChars: 0) == .alert(text) {
            switch announce(text, to: delivery, agentId: agent.id) {
            case .sent(let send):
                do {
                    try await send()
                    delivered = true
                } catch {
                    hub.logger.warning("[cron] job \(job.id): delivery failed: \(error)")
                    if !delivery.bestEffort {
                        result.status = .error
                        result.error = "delivery failed: \(error)"
                    }
                }
            case .noTarget(let why):
                hub.logger.info("[cron] job \(job.id): not delivered (\(why))")
            case .refused(let why):
                if !delivery.bestEffort {
                    result.status = .error
                    result.error = why
                }
            }
        }
        if !delivered, result.status != .ok || !(result.summary ?? "").isEmpty {
            let note = result.status == .ok ? "Cron: \(result.summary ?? "")" : "Cron (error): \(result.error ?? "failed")"
            _ = runtime.systemEvents.enqueue(note, sessionKey: SessionKey.main(agent: agent.id))
            if job.wakeMode == .now { heartbeat.requestNow(reason: "cron:\(job.id):post") }
        }
        return result
    }

    /// `[cron:<id> <name>] <message>`, the current time, and with delivery the plain-text instruction.
    private func prompt(_ job: CronJob, now: Int, delivers: Bool) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        let time = formatter.string(from: Date(timeIntervalSince1970: Double(now) / 1000))
        var text = "[cron:\(job.id) \(job.name)] \(job.payload.message ?? "")\nCurrent time: \(time) (\(TimeZone.current.identifier))"
        if delivers { text += "\n\nReply with a short plain-text summary; it will be delivered to the user automatically." }
        return text
    }

    private enum Announcement {
        case sent(@Sendable () async throws -> Void)
        case noTarget(String)
        case refused(String)
    }

    /// The main session's `OutboundTarget` for the job's delivery, resolved through the channel plugins.
    private func announce(_ text: String, to delivery: (channel: String?, to: String?, accountId: String?, bestEffort: Bool), agentId: String) -> Announcement {
        let entry = try? hub.agents.store.entry(key: SessionKey.main(agent: agentId))
        guard let target = OutboundTarget(channel: delivery.channel, to: delivery.to, accountId: delivery.accountId, lastRouteOf: entry) else {
            return .noTarget("no last route or recipient")
        }
        do {
            let resolved = try ReplyDelivery.resolve(channel: target.channel, to: target.to, accountId: target.accountId, hub: hub)
            return .sent { try await resolved.send(text) }
        } catch {
            switch error {
            case .invalid(let message), .unavailable(let message): return .refused(message)
            }
        }
    }
}
