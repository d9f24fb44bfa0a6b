// Sources/Runtime/Automation/Cron/CronTickPlan.swift - what one scheduler tick decides, from the stored jobs alone

import Generated

/// One tick's decisions (reference/automation.md §3.3): stale running markers are cleared, jobs
/// without a next run get one, the due jobs (soonest first, within the free slots) are marked
/// running, and the timer's next deadline is the earliest next run, capped at a minute. Pure, so
/// the scheduler and the benchmark (`gateway-bench cron-tick`) run exactly the same code.
public struct CronTickPlan: Sendable {
    /// The jobs with the tick's changes applied.
    public var jobs: [CronJob]
    /// Whether anything changed (the store must be saved before the due jobs start).
    public var changed: Bool
    /// Indices into `jobs` of the jobs to start now.
    public var due: [Int]
    /// When the timer should fire next.
    public var deadline: Int

    /// - Parameters:
    ///   - running: ids of jobs this process is running.
    ///   - limit: `cron.maxConcurrentRuns`.
    public static func make(jobs: [CronJob], nowMs now: Int, running: Set<String>, limit: Int) -> CronTickPlan {
        var jobs = jobs
        var changed = false
        for index in jobs.indices {
            let job = jobs[index]
            if let marked = job.state.runningAtMs, !running.contains(job.id), now - marked > CronService.staleRunningMs {
                jobs[index].state.runningAtMs = nil
                changed = true
            }
            if job.enabled, job.state.nextRunAtMs == nil, jobs[index].state.runningAtMs == nil, !(job.schedule.kind == .at && job.state.lastStatus == .ok) {
                jobs[index].state.nextRunAtMs = naturalNext(job, after: now)
                changed = changed || jobs[index].state.nextRunAtMs != nil
            }
        }
        let due = jobs.indices
            .filter { index in
                let job = jobs[index]
                guard job.enabled, job.state.runningAtMs == nil, !running.contains(job.id), let next = job.state.nextRunAtMs else { return false }
                return next <= now
            }
            .sorted { (jobs[$0].state.nextRunAtMs ?? 0) < (jobs[$1].state.nextRunAtMs ?? 0) }
            .prefix(max(limit - running.count, 0))
        for index in due {
            jobs[index].state.runningAtMs = now
            changed = true
        }
        var earliest = Int.max
        for job in jobs where job.enabled && job.state.runningAtMs == nil {
            if let next = job.state.nextRunAtMs, next < earliest { earliest = next }
        }
        let deadline = max(min(earliest, now + CronService.maxTimerDelayMs), now)
        return CronTickPlan(jobs: jobs, changed: changed, due: Array(due), deadline: deadline)
    }

    /// The schedule's next run after `now` (an `at` job: its time); nil when it never runs or cannot be read.
    static func naturalNext(_ job: CronJob, after now: Int) -> Int? {
        guard let timing = try? CronTiming(job.schedule) else { return nil }
        return (try? timing.nextRunAtMs(nowMs: Int64(now), createdAtMs: Int64(job.createdAtMs))).flatMap { $0 }.map { Int($0) }
    }
}
