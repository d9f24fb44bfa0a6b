// Sources/Runtime/Automation/Cron/CronJobRules.swift - normalizing, validating and patching jobs as upstream does

import Foundation
import Generated
import ProtocolSupport

/// `cron.add` and `cron.update`'s normalization (upstream's `normalize.ts`): the session target is
/// inferred from the payload, `at` jobs delete themselves after a good run unless told otherwise,
/// isolated jobs announce unless they say how to deliver; then every job is checked so that a
/// main job carries a system event and an isolated one an agent turn, each with its own fields.
enum CronJobRules {
    /// An add or update that cannot be stored; the message is upstream's where it has one.
    struct Invalid: Error {
        var message: String
    }

    static func job(from params: CronAddParams, id: String, nowMs: Int) throws(Invalid) -> CronJob {
        let target = params.sessionTarget ?? (params.payload.kind == .systemEvent ? .main : .isolated)
        var job = CronJob(
            id: id, agentId: params.agentId.map(AgentID.normalize).flatMap { $0.isEmpty ? nil : $0 }, name: params.name.trimmingCharacters(in: .whitespaces),
            description: params.description, enabled: params.enabled ?? true,
            deleteAfterRun: params.deleteAfterRun ?? (params.schedule.kind == .at ? true : nil), createdAtMs: nowMs, updatedAtMs: nowMs,
            schedule: params.schedule, sessionTarget: target, wakeMode: params.wakeMode ?? .now, payload: params.payload, delivery: params.delivery,
            isolation: params.isolation, state: CronJobState()
        )
        if job.sessionTarget == .isolated, job.delivery == nil, !hasLegacyDelivery(job.payload) { job.delivery = CronDelivery(mode: .announce) }
        try validate(job, nowMs: nowMs, checkAtRange: true)
        return job
    }

    /// Applies `patch`: a payload of the same kind is merged field by field, another kind replaces it.
    static func apply(_ patch: CronJobPatch, to old: CronJob, nowMs: Int) throws(Invalid) -> CronJob {
        var job = old
        if let name = patch.name { job.name = name.trimmingCharacters(in: .whitespaces) }
        switch patch.agentId {
        case nil: break
        case .null?: job.agentId = nil
        case .string(let id)?: job.agentId = AgentID.normalize(id).isEmpty ? nil : AgentID.normalize(id)
        case _?: throw Invalid(message: "invalid cron.update params: patch.agentId must be a string or null")
        }
        if let value = patch.description { job.description = value }
        if let value = patch.enabled { job.enabled = value }
        if let value = patch.deleteAfterRun { job.deleteAfterRun = value }
        if let value = patch.schedule { job.schedule = value }
        if let value = patch.sessionTarget { job.sessionTarget = value }
        if let value = patch.wakeMode { job.wakeMode = value }
        if let value = patch.delivery { job.delivery = value }
        if let value = patch.isolation { job.isolation = value }
        if let payload = patch.payload {
            job.payload = payload.kind == old.payload.kind ? merge(payload, into: old.payload) : payload
            if patch.sessionTarget == nil { job.sessionTarget = job.payload.kind == .systemEvent ? .main : .isolated }
        }
        job.updatedAtMs = nowMs
        try validate(job, nowMs: nowMs, checkAtRange: patch.schedule != nil)
        return job
    }

    static func validate(_ job: CronJob, nowMs: Int, checkAtRange: Bool) throws(Invalid) {
        if job.name.isEmpty { throw Invalid(message: "cron job name is required") }
        if job.id.contains("/") || job.id.contains("\\") { throw Invalid(message: "invalid cron job id: \(job.id)") }
        switch (job.sessionTarget, job.payload.kind) {
        case (.main, .systemEvent), (.isolated, .agentTurn): break
        case (.main, _): throw Invalid(message: "main cron jobs require payload.kind=\"systemEvent\"")
        case (.isolated, _): throw Invalid(message: "isolated cron jobs require payload.kind=\"agentTurn\"")
        default: throw Invalid(message: "unknown sessionTarget")
        }
        let payload = job.payload
        switch payload.kind {
        case .systemEvent:
            guard let text = payload.text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Invalid(message: "payload.text is required for systemEvent jobs")
            }
            if payload.message != nil || payload.model != nil || payload.timeoutSeconds != nil {
                throw Invalid(message: "systemEvent payloads take only text")
            }
        case .agentTurn:
            guard let message = payload.message, !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Invalid(message: "payload.message is required for agentTurn jobs")
            }
            if payload.text != nil { throw Invalid(message: "agentTurn payloads take message, not text") }
        default:
            throw Invalid(message: "unknown payload.kind")
        }
        if job.delivery != nil, job.sessionTarget == .main { throw Invalid(message: "delivery is only for isolated jobs") }
        do {
            let timing = try CronTiming(job.schedule)
            try timing.validate(nowMs: checkAtRange ? Int64(nowMs) : nil)
        } catch {
            throw Invalid(message: error.message)
        }
    }

    /// Legacy delivery (no `delivery` object): asked for when `deliver` is true, or not false with a `to`.
    static func hasLegacyDelivery(_ payload: CronPayload) -> Bool {
        payload.deliver != nil || payload.to != nil || payload.channel != nil
    }

    /// Where an isolated job's answer goes, or nil when it is not delivered.
    static func delivery(of job: CronJob) -> (channel: String?, to: String?, accountId: String?, bestEffort: Bool)? {
        if let delivery = job.delivery {
            guard delivery.mode == .announce else { return nil }
            return (delivery.channel, delivery.to, delivery.accountId, delivery.bestEffort ?? false)
        }
        let payload = job.payload
        let requested = payload.deliver == true || (payload.deliver != false && payload.to != nil)
        return requested ? (payload.channel, payload.to, nil, payload.bestEffortDeliver ?? false) : nil
    }

    private static func merge(_ patch: CronPayload, into old: CronPayload) -> CronPayload {
        var merged = old
        if let value = patch.text { merged.text = value }
        if let value = patch.message { merged.message = value }
        if let value = patch.model { merged.model = value }
        if let value = patch.thinking { merged.thinking = value }
        if let value = patch.timeoutSeconds { merged.timeoutSeconds = value }
        if let value = patch.allowUnsafeExternalContent { merged.allowUnsafeExternalContent = value }
        if let value = patch.deliver { merged.deliver = value }
        if let value = patch.channel { merged.channel = value }
        if let value = patch.to { merged.to = value }
        if let value = patch.bestEffortDeliver { merged.bestEffortDeliver = value }
        return merged
    }
}
