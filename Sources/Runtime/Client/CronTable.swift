// Sources/Runtime/Client/CronTable.swift - the human-readable `openclaw cron list`

import Foundation
import Generated

/// Upstream's `cron list` table (`cli/cron-cli/shared.ts`): fixed-width columns ID(36) Name(24) Schedule(32)
/// Next(10) Last(10) Status(9) Target(9) Agent(10), long values cut with `...`; then one more column, the next
/// run in local time (the relative `Next` alone does not say when a daily job fires). `No cron jobs.` when empty.
public enum CronTable {
    /// The columns and their widths; the last column (local time) is not padded.
    static let columns: [(title: String, width: Int)] = [
        ("ID", 36), ("Name", 24), ("Schedule", 32), ("Next", 10), ("Last", 10), ("Status", 9), ("Target", 9), ("Agent", 10),
    ]

    public static func render(_ jobs: [CronJob], now: Int, timeZone: TimeZone = .current) -> String {
        guard !jobs.isEmpty else { return "No cron jobs." }
        let header = columns.map { pad($0.title, $0.width) } + ["Next run (local)"]
        let rows = jobs.map { job in
            let cells = [
                job.id, job.name, schedule(job.schedule), relative(job.state.nextRunAtMs, now: now), relative(job.state.lastRunAtMs, now: now),
                status(job), job.sessionTarget.rawValue, job.agentId ?? "default",
            ]
            return zip(cells, columns).map { pad(truncate($0, $1.width), $1.width) } + [localTime(job.state.nextRunAtMs, timeZone: timeZone)]
        }
        return ([header] + rows).map { $0.joined(separator: " ").trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
    }

    /// `at 2026-02-01 16:00Z`, `every 10m`, `cron 0 7 * * * @ Europe/Vienna` (or without ` @ tz`).
    public static func schedule(_ schedule: CronSchedule) -> String {
        switch schedule.kind {
        case .at: return "at " + isoMinute(schedule.at)
        case .every: return "every " + duration(schedule.everyMs ?? 0)
        case .cron:
            let expr = schedule.expr ?? "?"
            return schedule.tz.map { "cron \(expr) @ \($0)" } ?? "cron \(expr)"
        }
    }

    /// `in 5m`, `3h ago`, or `-` when there is no time.
    public static func relative(_ milliseconds: Int?, now: Int) -> String {
        guard let milliseconds, milliseconds > 0 else { return "-" }
        let delta = milliseconds - now
        let label = duration(abs(delta))
        return delta >= 0 ? "in \(label)" : "\(label) ago"
    }

    /// `disabled`, `running`, the last run's status, or `idle`.
    public static func status(_ job: CronJob) -> String {
        if !job.enabled { return "disabled" }
        if job.state.runningAtMs != nil { return "running" }
        return job.state.lastStatus?.rawValue ?? "idle"
    }

    /// One unit, rounded: `45s`, `10m`, `3h`, `2d` (at least `1s`).
    public static func duration(_ milliseconds: Int) -> String {
        let value = Double(milliseconds)
        if milliseconds < 60_000 { return "\(max(1, Int((value / 1000).rounded())))s" }
        if milliseconds < 3_600_000 { return "\(Int((value / 60_000).rounded()))m" }
        if milliseconds < 86_400_000 { return "\(Int((value / 3_600_000).rounded()))h" }
        return "\(Int((value / 86_400_000).rounded()))d"
    }

    /// `2026-02-01 17:00 CET` in `timeZone`, or `-`.
    public static func localTime(_ milliseconds: Int?, timeZone: TimeZone) -> String {
        guard let milliseconds, milliseconds > 0 else { return "-" }
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let text = String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
        return timeZone.abbreviation(for: date).map { "\(text) \($0)" } ?? text
    }

    /// An ISO time as `2026-02-01 16:00Z` (UTC, to the minute); `-` when it does not parse.
    static func isoMinute(_ text: String?) -> String {
        guard let text, let milliseconds = CronTimeText.absoluteMs(text) else { return "-" }
        let iso = CronTimeText.isoString(ms: milliseconds)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + "Z"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func truncate(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        return width <= 3 ? String(text.prefix(width)) : String(text.prefix(width - 3)) + "..."
    }
}
