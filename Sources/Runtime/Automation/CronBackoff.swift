// Sources/Runtime/Automation/CronBackoff.swift - when a recurring job runs again after a run ends

/// Upstream's rules for the next run after a run ends (`cron/service/timer.ts`): a failing job backs off so a broken
/// job (a dead channel, a model outage) does not run every few seconds, and a cron job never fires twice within the
/// same matching second (a fast run ending inside the second it started in would otherwise match again).
public enum CronBackoff {
    /// Waits after the 1st, 2nd, 3rd, 4th and 5th-or-later consecutive error: 30 s, 1 min, 5 min, 15 min, 60 min.
    public static let errorDelaysMs: [Int64] = [30_000, 60_000, 300_000, 900_000, 3_600_000]

    /// The shortest gap between the end of a cron job's run and its next start.
    public static let cronMinimumGapMs: Int64 = 2000

    /// The wait after `consecutiveErrors` errors in a row (counts below 1 read as 1).
    public static func errorDelayMs(consecutiveErrors: Int) -> Int64 {
        errorDelaysMs[min(max(consecutiveErrors, 1) - 1, errorDelaysMs.count - 1)]
    }

    /// The next run of a recurring job whose run ended at `endedAtMs`.
    ///
    /// - Parameters:
    ///   - naturalNextMs: the schedule's own next run after `endedAtMs` (nil when it has none).
    ///   - failed: whether the run ended in error; `consecutiveErrors` then counts it.
    ///   - isCron: whether the schedule is a cron expression (the 2 s floor applies).
    /// - Returns: after an error `max(natural, end + delay)` (just `end + delay` without a natural next run); else the
    ///   natural next run, for cron no sooner than `end + 2 s`.
    public static func nextRunAtMs(naturalNextMs: Int64?, endedAtMs: Int64, failed: Bool, consecutiveErrors: Int, isCron: Bool) -> Int64? {
        if failed {
            let backoffNext = endedAtMs + errorDelayMs(consecutiveErrors: consecutiveErrors)
            return naturalNextMs.map { max($0, backoffNext) } ?? backoffNext
        }
        guard let naturalNextMs else { return nil }
        return isCron ? max(naturalNextMs, endedAtMs + cronMinimumGapMs) : naturalNextMs
    }
}
