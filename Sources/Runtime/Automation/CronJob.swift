// Sources/Runtime/Automation/CronJob.swift - one job in the job store, in upstream's JSON shape

import Foundation
import ProtocolSupport

/// A scheduled job as upstream stores it in `cron/jobs.json` (`cron/types.ts`).
///
/// Members this type does not know (a newer upstream's fields, an operator's notes) are kept in `extra` and written
/// back, here and in `payload`, `delivery` and `state`, so a hand-edited file survives a load/save round trip. Missing
/// members that upstream defaults are defaulted on load: `enabled` true, `wakeMode` `now`, `sessionTarget` from the
/// payload kind, `state` empty, the timestamps 0.
public struct CronJob: Sendable, Hashable, Codable {
    public var id: String
    public var agentId: String?
    public var name: String
    public var description: String?
    public var enabled: Bool
    /// Whether a successful one-shot (`at`) job is deleted rather than disabled; upstream's default for `at` is true.
    public var deleteAfterRun: Bool?
    public var createdAtMs: Int64
    public var updatedAtMs: Int64
    public var schedule: CronSchedule
    public var sessionTarget: CronSessionTarget
    public var wakeMode: CronWakeMode
    public var payload: CronPayload
    public var delivery: CronDelivery?
    public var state: CronJobState
    /// Members not listed above, written back unchanged.
    public var extra: [String: JSONValue]

    public init(
        id: String, agentId: String? = nil, name: String, description: String? = nil, enabled: Bool = true, deleteAfterRun: Bool? = nil,
        createdAtMs: Int64, updatedAtMs: Int64? = nil, schedule: CronSchedule, sessionTarget: CronSessionTarget? = nil,
        wakeMode: CronWakeMode = .now, payload: CronPayload, delivery: CronDelivery? = nil, state: CronJobState = CronJobState(),
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.agentId = agentId
        self.name = name
        self.description = description
        self.enabled = enabled
        self.deleteAfterRun = deleteAfterRun
        self.createdAtMs = createdAtMs
        self.updatedAtMs = updatedAtMs ?? createdAtMs
        self.schedule = schedule
        self.sessionTarget = sessionTarget ?? payload.defaultSessionTarget
        self.wakeMode = wakeMode
        self.payload = payload
        self.delivery = delivery
        self.state = state
        self.extra = extra
    }

    /// Upstream refuses ids with a path separator: the id names the run log file `runs/<id>.jsonl`.
    public static func validateId(_ id: String) throws(CronStoreError) {
        guard !id.isEmpty, !id.contains("/"), !id.contains("\\"), id != ".", id != ".." else {
            throw CronStoreError(message: "invalid cron job id: \(id.debugDescription)")
        }
    }

    /// The next run of this job's schedule after `nowMs` (an `every` grid anchored at `createdAtMs` when it has no
    /// anchor of its own); see `CronSchedule.nextRunAtMs`.
    public func nextRunAtMs(nowMs: Int64, defaultTimeZone: TimeZone = .current) throws(CronScheduleError) -> Int64? {
        try schedule.nextRunAtMs(nowMs: nowMs, createdAtMs: createdAtMs, defaultTimeZone: defaultTimeZone)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, agentId, name, description, enabled, deleteAfterRun, createdAtMs, updatedAtMs, schedule, sessionTarget, wakeMode, payload,
            delivery, state
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        agentId = try container.decodeIfPresent(String.self, forKey: .agentId)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        deleteAfterRun = try container.decodeIfPresent(Bool.self, forKey: .deleteAfterRun)
        createdAtMs = try container.decodeIfPresent(Int64.self, forKey: .createdAtMs) ?? 0
        updatedAtMs = try container.decodeIfPresent(Int64.self, forKey: .updatedAtMs) ?? createdAtMs
        schedule = try container.decode(CronSchedule.self, forKey: .schedule)
        payload = try container.decode(CronPayload.self, forKey: .payload)
        sessionTarget = try container.decodeIfPresent(CronSessionTarget.self, forKey: .sessionTarget) ?? payload.defaultSessionTarget
        wakeMode = try container.decodeIfPresent(CronWakeMode.self, forKey: .wakeMode) ?? .now
        delivery = try container.decodeIfPresent(CronDelivery.self, forKey: .delivery)
        state = try container.decodeIfPresent(CronJobState.self, forKey: .state) ?? CronJobState()
        extra = try decoder.unknownMembers(known: CodingKeys.allCases)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(agentId, forKey: .agentId)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(enabled, forKey: .enabled)
        try container.encodeIfPresent(deleteAfterRun, forKey: .deleteAfterRun)
        try container.encode(createdAtMs, forKey: .createdAtMs)
        try container.encode(updatedAtMs, forKey: .updatedAtMs)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(sessionTarget, forKey: .sessionTarget)
        try container.encode(wakeMode, forKey: .wakeMode)
        try container.encode(payload, forKey: .payload)
        try container.encodeIfPresent(delivery, forKey: .delivery)
        try container.encode(state, forKey: .state)
        try encoder.encodeUnknownMembers(extra, known: CodingKeys.allCases)
    }
}

/// Where a job runs: `main` puts a system event into the agent's main session; `isolated` runs a fresh agent turn in
/// `agent:<id>:cron:<jobId>`.
public enum CronSessionTarget: String, Sendable, Hashable, Codable, CaseIterable {
    case main, isolated
}

/// Whether a main-session job starts a heartbeat at once (`now`) or leaves its event for the next one.
public enum CronWakeMode: String, Sendable, Hashable, Codable, CaseIterable {
    case now
    case nextHeartbeat = "next-heartbeat"
}

/// How a run ended.
public enum CronRunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case ok, error, skipped
}

/// The scheduler's bookkeeping for one job.
public struct CronJobState: Sendable, Hashable, Codable {
    public var nextRunAtMs: Int64?
    /// Set while a run is in progress (persisted, so a restart can clear a stale marker).
    public var runningAtMs: Int64?
    public var lastRunAtMs: Int64?
    public var lastStatus: CronRunStatus?
    public var lastError: String?
    public var lastDurationMs: Int64?
    public var consecutiveErrors: Int?
    /// Members not listed above (later builds' `lastDelivered`, …), written back unchanged.
    public var extra: [String: JSONValue]

    public init(
        nextRunAtMs: Int64? = nil, runningAtMs: Int64? = nil, lastRunAtMs: Int64? = nil, lastStatus: CronRunStatus? = nil, lastError: String? = nil,
        lastDurationMs: Int64? = nil, consecutiveErrors: Int? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.nextRunAtMs = nextRunAtMs
        self.runningAtMs = runningAtMs
        self.lastRunAtMs = lastRunAtMs
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.lastDurationMs = lastDurationMs
        self.consecutiveErrors = consecutiveErrors
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case nextRunAtMs, runningAtMs, lastRunAtMs, lastStatus, lastError, lastDurationMs, consecutiveErrors
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        nextRunAtMs = try container.decodeIfPresent(Int64.self, forKey: .nextRunAtMs)
        runningAtMs = try container.decodeIfPresent(Int64.self, forKey: .runningAtMs)
        lastRunAtMs = try container.decodeIfPresent(Int64.self, forKey: .lastRunAtMs)
        lastStatus = try container.decodeIfPresent(CronRunStatus.self, forKey: .lastStatus)
        lastError = try container.decodeIfPresent(String.self, forKey: .lastError)
        lastDurationMs = try container.decodeIfPresent(Int64.self, forKey: .lastDurationMs)
        consecutiveErrors = try container.decodeIfPresent(Int.self, forKey: .consecutiveErrors)
        extra = try decoder.unknownMembers(known: CodingKeys.allCases)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(nextRunAtMs, forKey: .nextRunAtMs)
        try container.encodeIfPresent(runningAtMs, forKey: .runningAtMs)
        try container.encodeIfPresent(lastRunAtMs, forKey: .lastRunAtMs)
        try container.encodeIfPresent(lastStatus, forKey: .lastStatus)
        try container.encodeIfPresent(lastError, forKey: .lastError)
        try container.encodeIfPresent(lastDurationMs, forKey: .lastDurationMs)
        try container.encodeIfPresent(consecutiveErrors, forKey: .consecutiveErrors)
        try encoder.encodeUnknownMembers(extra, known: CodingKeys.allCases)
    }
}

extension Decoder {
    /// The object's members whose names are not in `known`, as raw JSON.
    func unknownMembers<Key: CodingKey>(known: [Key]) throws -> [String: JSONValue] {
        let names = Set(known.map(\.stringValue))
        let container = try self.container(keyedBy: AnyCodingKey.self)
        var extra: [String: JSONValue] = [:]
        for key in container.allKeys where !names.contains(key.stringValue) {
            extra[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        return extra
    }
}

extension Encoder {
    /// Writes `extra` into the object being encoded, skipping names a known member owns.
    func encodeUnknownMembers<Key: CodingKey>(_ extra: [String: JSONValue], known: [Key]) throws {
        guard !extra.isEmpty else { return }
        let names = Set(known.map(\.stringValue))
        var container = self.container(keyedBy: AnyCodingKey.self)
        for (name, value) in extra where !names.contains(name) {
            try container.encode(value, forKey: AnyCodingKey(name))
        }
    }
}
