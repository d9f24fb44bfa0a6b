// Sources/Runtime/Automation/CronStoreJSON.swift - reading hand-edited and older job files into the generated CronJob

import Generated
import ProtocolSupport

/// The job store holds the protocol's own `CronJob` (spec/types/automation.yaml), whose decoder is
/// strict. A file is more forgiving than a request: an operator edits it by hand, older upstream
/// builds wrote legacy spellings, newer ones add fields. So each stored job is split before
/// decoding: members `CronJob` (or its schedule, payload, delivery, state) does not know are set
/// aside and written back with the job; missing members get upstream's load-time defaults
/// (`enabled` true, `wakeMode` now, `sessionTarget` from the payload, an empty `state`, timestamps
/// 0); `schedule.atMs` and `schedule.cron` are read as `at` and `expr`.
public enum CronStoreJSON {
    /// What a stored job had that the generated type does not read.
    public struct Extras: Sendable, Hashable {
        /// Unknown members of the job itself.
        public var job: [String: JSONValue] = [:]
        /// Unknown members of `schedule`, `payload`, `delivery` and `state`, by that key.
        public var nested: [String: [String: JSONValue]] = [:]

        public init() {}

        public var isEmpty: Bool { job.isEmpty && nested.values.allSatisfy(\.isEmpty) }
    }

    static let jobKeys = Set(CronJob.CodingKeys.allCases.map(\.stringValue))
    static let nestedKeys: [String: Set<String>] = [
        "schedule": Set(CronSchedule.CodingKeys.allCases.map(\.stringValue)),
        "payload": Set(CronPayload.CodingKeys.allCases.map(\.stringValue)),
        "delivery": Set(CronDelivery.CodingKeys.allCases.map(\.stringValue)),
        "state": Set(CronJobState.CodingKeys.allCases.map(\.stringValue)),
    ]

    /// The members `CronJob` reads (defaults filled, legacy spellings rewritten) and the rest.
    public static func split(_ stored: [String: JSONValue]) -> (known: [String: JSONValue], extras: Extras) {
        var known: [String: JSONValue] = [:]
        var extras = Extras()
        for (key, value) in stored {
            if jobKeys.contains(key) { known[key] = value } else { extras.job[key] = value }
        }
        if case .object(var schedule)? = known["schedule"] {
            if schedule["at"] == nil, let atMs = schedule.removeValue(forKey: "atMs")?.intValue {
                schedule["at"] = .string(CronTimeText.isoString(ms: Int64(atMs)))
            }
            if schedule["expr"] == nil, let expr = schedule.removeValue(forKey: "cron") { schedule["expr"] = expr }
            known["schedule"] = .object(schedule)
        }
        for (key, allowed) in nestedKeys {
            guard case .object(let members)? = known[key] else { continue }
            var kept: [String: JSONValue] = [:]
            for (member, value) in members {
                if allowed.contains(member) { kept[member] = value } else { extras.nested[key, default: [:]][member] = value }
            }
            known[key] = .object(kept)
        }
        if known["enabled"] == nil || known["enabled"] == .null { known["enabled"] = true }
        if known["wakeMode"] == nil || known["wakeMode"] == .null { known["wakeMode"] = "now" }
        if known["sessionTarget"] == nil || known["sessionTarget"] == .null {
            known["sessionTarget"] = known["payload"]?["kind"] == "agentTurn" ? "isolated" : "main"
        }
        if known["state"] == nil || known["state"] == .null { known["state"] = .object([:]) }
        if known["createdAtMs"] == nil { known["createdAtMs"] = 0 }
        if known["updatedAtMs"] == nil { known["updatedAtMs"] = known["createdAtMs"] }
        return (known, extras)
    }

    /// `encoded` (a job as `CronJob` writes it) with the members set aside at load put back.
    public static func merge(_ encoded: [String: JSONValue], _ extras: Extras) -> [String: JSONValue] {
        var merged = encoded
        for (key, value) in extras.job where merged[key] == nil { merged[key] = value }
        for (key, members) in extras.nested {
            guard case .object(var object)? = merged[key] else { continue }
            for (member, value) in members where object[member] == nil { object[member] = value }
            merged[key] = .object(object)
        }
        return merged
    }
}
