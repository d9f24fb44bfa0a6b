// Sources/Runtime/Automation/CronSchedule.swift - when a job runs: `at`, `every` or `cron`, in upstream's JSON shape

import Foundation

/// A job's schedule, encoded exactly as upstream stores it:
/// `{"kind":"at","at":"2026-02-01T16:00:00Z"}`, `{"kind":"every","everyMs":60000,"anchorMs":…}` or
/// `{"kind":"cron","expr":"0 9 * * 1-5","tz":"Europe/Berlin"}`.
///
/// Decoding also reads upstream's legacy spellings (`atMs` as a number, `cron` for `expr`) so old job files load;
/// they are written back in the current shape. Keys other than these are not kept (later builds' `staggerMs`).
public enum CronSchedule: Sendable, Hashable, Codable {
    /// One run at an ISO time (no zone = UTC).
    case at(String)
    /// Every `everyMs` ms on the grid through `anchorMs` (default: the job's creation time).
    case every(everyMs: Int64, anchorMs: Int64?)
    /// A cron expression in `tz` (default: the host's zone).
    case cron(expr: String, tz: String?)

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

    // MARK: Codable

    private enum CodingKeys: String, CodingKey {
        case kind, at, atMs, everyMs, anchorMs, expr, cron, tz
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "at":
            if let at = try container.decodeIfPresent(String.self, forKey: .at) {
                self = .at(at)
            } else if let atMs = try? container.decode(Int64.self, forKey: .atMs) {
                self = .at(CronTimeText.isoString(ms: atMs))
            } else {
                throw DecodingError.keyNotFound(CodingKeys.at, .init(codingPath: container.codingPath, debugDescription: "schedule.at is required"))
            }
        case "every":
            self = .every(
                everyMs: try container.decode(Int64.self, forKey: .everyMs), anchorMs: try container.decodeIfPresent(Int64.self, forKey: .anchorMs))
        case "cron":
            let expr = try container.decodeIfPresent(String.self, forKey: .expr) ?? container.decode(String.self, forKey: .cron)
            self = .cron(expr: expr, tz: try container.decodeIfPresent(String.self, forKey: .tz))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown schedule kind \"\(kind)\" (expected at, every or cron)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .at(let at):
            try container.encode(at, forKey: .at)
        case .every(let everyMs, let anchorMs):
            try container.encode(everyMs, forKey: .everyMs)
            try container.encodeIfPresent(anchorMs, forKey: .anchorMs)
        case .cron(let expr, let tz):
            try container.encode(expr, forKey: .expr)
            try container.encodeIfPresent(tz, forKey: .tz)
        }
    }
}

/// A schedule that cannot be used; `message` is what the methods and CLI show.
public struct CronScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
