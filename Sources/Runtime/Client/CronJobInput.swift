// Sources/Runtime/Client/CronJobInput.swift - `openclaw cron add|edit` flags as cron.add params or a cron.update patch

import Foundation
import Generated

/// The job flags `cron add` and `cron edit` share (upstream's `register.cron-add.ts` / `register.cron-edit.ts`),
/// checked and turned into the generated params. `add` needs a name, one schedule and one payload and infers
/// the session target from the payload; `edit` sends only what was given.
public struct CronJobInput: Sendable {
    public var name: String?
    public var description: String?
    public var agent: String?
    public var clearAgent = false
    public var enable = false
    public var disable = false
    /// `cron add --disabled` (`cron edit` says `--disable`).
    public var disabled = false
    public var session: String?
    public var wake: String?
    public var at: String?
    public var every: String?
    public var cron: String?
    public var tz: String?
    public var systemEvent: String?
    public var message: String?
    public var model: String?
    public var thinking: String?
    public var timeoutSeconds: Int?
    public var deleteAfterRun = false
    public var keepAfterRun = false
    public var announce = false
    public var noDeliver = false
    public var channel: String?
    public var to: String?
    public var account: String?
    public var bestEffortDeliver = false

    public init() {}

    /// A flag combination the CLI refuses, with upstream's wording where it has one.
    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// `cron.add`'s params. `now` (ms) resolves `--at +20m`.
    public func addParams(now: Int) throws(Invalid) -> CronAddParams {
        guard let name = name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { throw Invalid("--name is required") }
        guard let schedule = try schedule(now: now) else { throw Invalid("Choose exactly one schedule: --at, --every, or --cron") }
        guard systemEvent != nil || message != nil, let payload = try payload() else {
            throw Invalid("Choose exactly one payload: --system-event or --message")
        }
        guard !(clearAgent || enable || disable) else { throw Invalid("--enable, --disable and --clear-agent are flags of cron edit") }
        let target = try sessionTarget() ?? (payload.kind == .systemEvent ? .main : .isolated)
        try check(target, payload: payload.kind)
        return CronAddParams(
            name: name, agentId: agent, description: description, enabled: disabled ? false : nil, deleteAfterRun: try deleteAfter(),
            schedule: schedule, sessionTarget: target, wakeMode: try wakeMode() ?? .now, payload: payload,
            delivery: try delivery(isolated: target == .isolated)
        )
    }

    /// `cron.update`'s patch: only the fields given.
    public func patch(now: Int) throws(Invalid) -> CronJobPatch {
        if enable, disable { throw Invalid("Choose --enable or --disable, not both") }
        if clearAgent, agent != nil { throw Invalid("Choose --agent or --clear-agent, not both") }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw Invalid("--name must not be empty") }
        let payload = try payload()
        let target = try sessionTarget()
        if let target { try check(target, payload: payload?.kind) }
        let deliveryGiven = announce || noDeliver || channel != nil || to != nil || account != nil || bestEffortDeliver
        if payload?.kind == .systemEvent || target == .main, deliveryGiven {
            throw Invalid("Delivery flags (--announce, --deliver, --no-deliver, --channel, --to, --account, --best-effort-deliver) apply to isolated jobs")
        }
        let patch = CronJobPatch(
            name: name, agentId: clearAgent ? .null : agent.map { .value($0) } ?? .absent, description: description,
            enabled: enable ? true : disable ? false : nil,
            deleteAfterRun: try deleteAfter(), schedule: try schedule(now: now), sessionTarget: target, wakeMode: try wakeMode(), payload: payload,
            delivery: deliveryGiven ? try delivery(isolated: true) : nil
        )
        guard patch != CronJobPatch() else { throw Invalid("Nothing to change: pass at least one flag") }
        return patch
    }

    /// The one schedule given, nil when none; two or more is an error.
    func schedule(now: Int) throws(Invalid) -> CronSchedule? {
        let given = [at, every, cron].compactMap { $0 }
        if given.count > 1 { throw Invalid("Choose exactly one schedule: --at, --every, or --cron") }
        if tz != nil, cron == nil { throw Invalid("--tz applies to --cron") }
        if let at {
            guard let milliseconds = Self.atMilliseconds(at, now: now) else { throw Invalid("Invalid --at; use an ISO time (2026-02-01T16:00:00Z) or +20m") }
            return CronSchedule(kind: .at, at: CronTimeText.isoString(ms: Int64(milliseconds)))
        }
        if let every {
            guard let milliseconds = try? CronTimeText.durationMs(every, defaultUnit: .m), milliseconds > 0 else {
                throw Invalid("Invalid --every; use e.g. 10m, 1h, 1d")
            }
            return CronSchedule(kind: .every, everyMs: Int(milliseconds))
        }
        if let cron {
            let expr = cron.trimmingCharacters(in: .whitespaces)
            guard !expr.isEmpty else { throw Invalid("--cron needs an expression") }
            return CronSchedule(kind: .cron, expr: expr, tz: tz)
        }
        return nil
    }

    /// `--at`: an ISO time, or a delay from `now` (`+20m`, or `20m`).
    public static func atMilliseconds(_ text: String, now: Int) -> Int? {
        (try? CronTimeText.atMs(text, nowMs: Int64(now))).map { Int($0) }
    }

    /// The payload the flags describe: `--system-event` or `--message` (with the agent-turn options); for `edit`
    /// the agent-turn options alone make a partial `agentTurn` payload the gateway merges.
    func payload() throws(Invalid) -> CronPayload? {
        let turnOptions = model != nil || thinking != nil || timeoutSeconds != nil
        if systemEvent != nil, message != nil { throw Invalid("Choose exactly one payload: --system-event or --message") }
        if let systemEvent {
            if turnOptions { throw Invalid("--model, --thinking and --timeout-seconds apply to --message jobs") }
            guard !systemEvent.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Invalid("--system-event must not be empty") }
            return CronPayload(kind: .systemEvent, text: systemEvent)
        }
        if let message, message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw Invalid("--message must not be empty") }
        if let timeoutSeconds, timeoutSeconds < 1 { throw Invalid("--timeout-seconds must be at least 1") }
        guard message != nil || turnOptions else { return nil }
        return CronPayload(kind: .agentTurn, message: message, model: model, thinking: thinking, timeoutSeconds: timeoutSeconds)
    }

    func sessionTarget() throws(Invalid) -> CronSessionTarget? {
        guard let session else { return nil }
        guard let target = CronSessionTarget(rawValue: session) else { throw Invalid("--session must be main or isolated") }
        return target
    }

    func check(_ target: CronSessionTarget, payload: CronPayloadKind?) throws(Invalid) {
        if target == .main, payload == .agentTurn { throw Invalid("Main jobs require --system-event (systemEvent).") }
        if target == .isolated, payload == .systemEvent { throw Invalid("Isolated jobs require --message (agentTurn).") }
    }

    func wakeMode() throws(Invalid) -> CronWakeMode? {
        guard let wake else { return nil }
        guard let mode = CronWakeMode(rawValue: wake) else { throw Invalid("--wake must be now or next-heartbeat") }
        return mode
    }

    func deleteAfter() throws(Invalid) -> Bool? {
        if deleteAfterRun, keepAfterRun { throw Invalid("Choose --delete-after-run or --keep-after-run, not both") }
        return deleteAfterRun ? true : keepAfterRun ? false : nil
    }

    /// Isolated jobs announce to `last` unless `--no-deliver`; main jobs take no delivery flags.
    func delivery(isolated: Bool) throws(Invalid) -> CronDelivery? {
        let given = announce || noDeliver || channel != nil || to != nil || account != nil || bestEffortDeliver
        guard isolated else {
            if given {
                throw Invalid("Delivery flags (--announce, --deliver, --no-deliver, --channel, --to, --account, --best-effort-deliver) apply to isolated jobs")
            }
            return nil
        }
        if announce, noDeliver { throw Invalid("Choose --announce (--deliver) or --no-deliver, not both") }
        let mode: CronDeliveryMode = noDeliver ? CronDeliveryMode.none : .announce
        return CronDelivery(
            mode: mode, channel: channel ?? (noDeliver ? nil : "last"), to: to, accountId: account, bestEffort: bestEffortDeliver ? true : nil)
    }
}
