// Sources/Runtime/Automation/CronSchedule.swift - when a job runs: `at`, `every` or `cron`

import Foundation
import Generated

/// A job's schedule as the scheduler computes with it: the wire/store shape is the generated `CronSchedule` (one
/// struct with a `kind` and every kind's fields); this is the checked form, one case per kind with only its own fields.
public enum CronTiming: Sendable, Hashable {
    /// One run at an ISO time (no zone = UTC).
    case at(String)
    /// Every `everyMs` ms on the grid through `anchorMs` (default: the job's creation time).
    case every(everyMs: Int64, anchorMs: Int64?)
    /// A cron expression in `tz` (default: the host's zone).
    case cron(expr: String, tz: String?)

    /// The checked form of a stored or requested schedule.
    /// - Throws: `CronScheduleError` when the kind's own field is missing.
    public init(_ schedule: CronSchedule) throws(CronScheduleError) {
        switch schedule.kind {
        case .at:
            guard let at = schedule.at else { throw CronScheduleError(message: "schedule.at is required") }
            self = .at(at)
        case .every:
            guard let everyMs = schedule.everyMs else { throw CronScheduleError(message: "schedule.everyMs is required") }
            self = .every(everyMs: Int64(everyMs), anchorMs: schedule.anchorMs.map(Int64.init))
        case .cron:
            guard let expr = schedule.expr else { throw CronScheduleError(message: "schedule.expr is required") }
            self = .cron(expr: expr, tz: schedule.tz)
        default:
            throw CronScheduleError(message: "unknown schedule kind \"\(schedule.kind.rawValue)\" (expected at, every or cron)")
        }
    }

    public var kind: String {
        switch self {
        case .at: "at"
        case .every: "every"
        case .cron: "cron"
        }
    }

    /// When the job should next run, as ms since the epoch, or nil when it never will (a cron expression matching no
    /// date, an empty expression).
    ///
    /// - `at`: the time itself, even when it is past: the job is due until a run ends, and the caller (which knows
    ///   whether it already ran) decides.
    /// - `every`: `anchor + ceil((now − anchor) / every) · every`, at least one step past the anchor, and the anchor
    ///   itself while `now` is before it; the anchor defaults to `createdAtMs`, then to `now`.
    /// - `cron`: the first match strictly after `now` in `tz`, else `defaultTimeZone`.
    /// - Throws: `CronScheduleError` for an unreadable `at` time, a bad expression or an unknown time zone.
    public func nextRunAtMs(nowMs: Int64, createdAtMs: Int64? = nil, defaultTimeZone: TimeZone = .current) throws(CronScheduleError) -> Int64? {
        switch self {
        case .at(let text):
            guard let atMs = CronTimeText.absoluteMs(text) else { throw CronScheduleError(message: Self.invalidAt(text)) }
            return atMs
        case .every(let everyMs, let anchorMs):
            let every = max(1, everyMs)
            let anchor = max(0, anchorMs ?? createdAtMs ?? nowMs)
            if nowMs < anchor { return anchor }
            let elapsed = nowMs - anchor
            let steps = max(1, (elapsed / every) + (elapsed % every == 0 ? 0 : 1))
            let (next, overflow) = anchor.addingReportingOverflow(steps.multipliedReportingOverflow(by: every).partialValue)
            return overflow ? nil : next
        case .cron(let expr, let tz):
            let trimmed = expr.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { return nil }
            let zone = try Self.timeZone(tz, default: defaultTimeZone)
            let expression: CronExpression
            do {
                expression = try CronExpression(trimmed)
            } catch {
                throw CronScheduleError(message: error.description)
            }
            let now = Date(timeIntervalSince1970: Double(nowMs) / 1000)
            return expression.nextRun(after: now, in: zone).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
        }
    }

    /// Checks a schedule as `cron.add` and `cron.update` do, with upstream's messages. With `nowMs`, an `at` time more
    /// than a minute past or more than ten years ahead is refused too (`validate-timestamp.ts`).
    public func validate(nowMs: Int64? = nil) throws(CronScheduleError) {
        switch self {
        case .at(let text):
            guard let atMs = CronTimeText.absoluteMs(text) else { throw CronScheduleError(message: Self.invalidAt(text)) }
            guard let nowMs else { return }
            let diff = atMs - nowMs
            if diff < -60_000 {
                throw CronScheduleError(
                    message: "schedule.at is in the past: \(CronTimeText.isoString(ms: atMs)) (\(-diff / 60_000) minutes ago). "
                        + "Current time: \(CronTimeText.isoString(ms: nowMs))"
                )
            }
            let year = 365.25 * 86_400_000
            if Double(diff) > 10 * year {
                throw CronScheduleError(
                    message: "schedule.at is too far in the future: \(CronTimeText.isoString(ms: atMs)) "
                        + "(\(Int(Double(diff) / year)) years ahead). Maximum allowed: 10 years"
                )
            }
        case .every(let everyMs, let anchorMs):
            guard everyMs >= 1 else { throw CronScheduleError(message: "schedule.everyMs must be >= 1 (got \(everyMs))") }
            if let anchorMs, anchorMs < 0 { throw CronScheduleError(message: "schedule.anchorMs must be >= 0 (got \(anchorMs))") }
        case .cron(let expr, let tz):
            let trimmed = expr.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw CronScheduleError(message: "schedule.expr must not be empty") }
            _ = try Self.timeZone(tz, default: .current)
            do {
                _ = try CronExpression(trimmed)
            } catch {
                throw CronScheduleError(message: error.description)
            }
        }
    }

    /// `tz` as a zone: nil or blank means `defaultZone`; an identifier the system does not know is an error.
    public static func timeZone(_ tz: String?, default defaultZone: TimeZone) throws(CronScheduleError) -> TimeZone {
        let trimmed = tz?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !trimmed.isEmpty else { return defaultZone }
        guard let zone = TimeZone(identifier: trimmed) else { throw CronScheduleError(message: "Invalid time zone specified: \(trimmed)") }
        return zone
    }

    static func invalidAt(_ text: String) -> String {
        "Invalid schedule.at: expected ISO-8601 timestamp or Unix seconds (got \(text))"
    }
}

/// A schedule that cannot be used; `message` is what the methods and CLI show.
public struct CronScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
