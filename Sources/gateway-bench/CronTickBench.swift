// Sources/gateway-bench/CronTickBench.swift - what one cron scheduler tick costs with many stored jobs
//
//     swift run -c release gateway-bench cron-tick [--jobs 1000] [--ticks 200]
//
// A tick reads the job store, plans (next runs, due jobs, the timer) and, when something changed, saves the store
// atomically before due jobs start. This times exactly that code (`CronJobStore`, `CronTickPlan`) on a store of
// `--jobs` jobs (a third `every`, a third `cron` expressions in several zones, a third `at`): an idle tick (nothing
// due: stat + plan), the same after a hand edit (parse + plan), and a busy tick (ten jobs due: plan + atomic save).

import Foundation
import Generated
import Runtime

enum CronTickBench {
    static func run(_ arguments: [String]) throws {
        var jobCount = 1000
        var ticks = 200
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--jobs": jobCount = Int(iterator.next() ?? "") ?? jobCount
            case "--ticks": ticks = Int(iterator.next() ?? "") ?? ticks
            default: throw BenchUsageError("cron-tick: unknown argument \(argument) (use --jobs N --ticks N)")
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("openclaw-cron-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = CronJobStore(path: directory + "/cron/jobs.json")
        let now = Int(Date().timeIntervalSince1970 * 1000)
        let zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]
        let expressions = ["0 9 * * 1-5", "*/15 * * * *", "30 6 1 * *", "0 0 * * 0", "15 10 * * MON-FRI", "0 */2 * * *"]
        var jobs: [CronJob] = []
        for index in 0..<jobCount {
            let schedule: CronSchedule
            switch index % 3 {
            case 0: schedule = CronSchedule(kind: .every, everyMs: 60_000 * (index % 120 + 5))
            case 1: schedule = CronSchedule(kind: .cron, expr: expressions[index % expressions.count], tz: zones[index % zones.count])
            default:
                schedule = CronSchedule(
                    kind: .at, at: ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(now) / 1000 + 86_400 + Double(index))))
            }
            jobs.append(
                CronJob(
                    id: UUID().uuidString.lowercased(), name: "job \(index)", enabled: true, createdAtMs: now, updatedAtMs: now, schedule: schedule,
                    sessionTarget: .main, wakeMode: .now, payload: CronPayload(kind: .systemEvent, text: "reminder \(index)"), state: CronJobState()
                )
            )
        }
        // The first tick gives every job its next run and saves: the store as the scheduler keeps it.
        let first = CronTickPlan.make(jobs: jobs, nowMs: now, running: [], limit: 1)
        try store.save(jobs: first.jobs)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int) ?? 0

        // Idle: the file is as the scheduler last wrote it (its stat matches, nothing is parsed) …
        var idle: [Double] = []
        for _ in 0..<ticks {
            let started = DispatchTime.now().uptimeNanoseconds
            let loaded = try store.load().jobs
            let plan = CronTickPlan.make(jobs: loaded, nowMs: now, running: [], limit: 1)
            if plan.changed { try store.save(jobs: plan.jobs) }
            idle.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        // … or was edited by hand since (the whole file is parsed).
        var cold: [Double] = []
        for _ in 0..<ticks {
            store.forgetCache()
            let started = DispatchTime.now().uptimeNanoseconds
            let loaded = try store.load().jobs
            let plan = CronTickPlan.make(jobs: loaded, nowMs: now, running: [], limit: 1)
            if plan.changed { try store.save(jobs: plan.jobs) }
            cold.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        var busy: [Double] = []
        for tick in 0..<ticks {
            // Ten jobs came due since the last tick.
            var loaded = try store.load().jobs
            for offset in 0..<10 { loaded[(tick * 10 + offset * 3) % loaded.count].state.nextRunAtMs = now - 1 }
            try store.save(jobs: loaded)
            let started = DispatchTime.now().uptimeNanoseconds
            let again = try store.load().jobs
            let plan = CronTickPlan.make(jobs: again, nowMs: now, running: [], limit: 10)
            if plan.changed { try store.save(jobs: plan.jobs) }
            busy.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
            // Reset: the runs "finished" and were rescheduled.
            var reset = plan.jobs
            for index in plan.due {
                reset[index].state.runningAtMs = nil
                reset[index].state.nextRunAtMs = now + 3_600_000
            }
            try store.save(jobs: reset)
        }
        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(Int(Double(sorted.count - 1) * p), sorted.count - 1)]
        }
        print(String(format: "cron_store_bytes %d (%d jobs)", bytes, jobCount))
        print(String(format: "cron_tick_idle_ms p50 %.2f p99 %.2f (stat + plan, nothing due, %d ticks)", percentile(idle, 0.5), percentile(idle, 0.99), ticks))
        print(
            String(
                format: "cron_tick_edited_ms p50 %.2f p99 %.2f (parse + plan after a hand edit, %d ticks)", percentile(cold, 0.5), percentile(cold, 0.99), ticks
            ))
        print(
            String(
                format: "cron_tick_busy_ms p50 %.2f p99 %.2f (plan + atomic save, 10 due, %d ticks)", percentile(busy, 0.5), percentile(busy, 0.99),
                ticks))
    }
}

struct BenchUsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
