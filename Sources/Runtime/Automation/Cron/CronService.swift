// Sources/Runtime/Automation/Cron/CronService.swift - the cron scheduler: the store, the timer, the methods

import Foundation
import Generated
import Logging
import ProtocolSupport

/// Upstream's cron service (reference/automation.md §3): jobs live in one JSON file that is read
/// again on every tick and every method call (so a hand edit is picked up), the timer is armed for
/// the earliest next run but never sleeps longer than a minute, due jobs are marked running and
/// saved before they start, at most `cron.maxConcurrentRuns` run at once, and each finished run is
/// logged, broadcast and scheduled again (errors back off). An actor, so the file has one writer.
actor CronService {
    /// Longest the timer sleeps: a changed file or a clock jump is noticed within this.
    static let maxTimerDelayMs = 60_000
    /// A `runningAtMs` older than this belonged to a run that will never finish.
    static let staleRunningMs = 2 * 3_600_000
    /// How long a main job waits for a busy session before leaving the beat to the heartbeat runner.
    static let mainJobBusyWaitMs = 2 * 60_000
    static let mainJobBusyRetryMs = 250
    /// Default run timeout of an isolated agent turn.
    static let agentTurnTimeoutSeconds = 3600
    /// Longest summary kept in events and the run log.
    static let summaryLimit = 2000

    private struct Running {
        let runId: String
        let startedAtMs: Int
        var task: Task<Void, Never>?
    }

    private unowned let hub: GatewayHub
    private let clock: any AutomationClock
    private let heartbeat: HeartbeatScheduler
    private var running: [String: Running] = [:]
    private var timer: Task<Void, Never>?
    private var timerDeadline: Int?
    private var stopped = false
    private var loggedStoreError: String?
    private var currentStore: CronJobStore?

    init(hub: GatewayHub, clock: any AutomationClock, heartbeat: HeartbeatScheduler) {
        self.hub = hub
        self.clock = clock
        self.heartbeat = heartbeat
    }

    // MARK: - Settings

    private var config: CronConfig? { hub.config.withLock { $0.config.cron } }

    /// `cron.enabled` and no `OPENCLAW_SKIP_CRON=1`.
    var isEnabled: Bool {
        (config?.enabled ?? ConfigDefaults.cronEnabled) && hub.settings.environment[EnvironmentVariable.skipCron] != "1"
    }

    /// `cron.store` (`~` expanded), else `<stateDir>/cron/jobs.json`.
    var storePath: String {
        guard let path = config?.store?.trimmingCharacters(in: .whitespaces), !path.isEmpty else {
            return CronJobStore.defaultPath(stateDir: hub.settings.paths.stateDir)
        }
        let home = StatePaths.homeDirectory(environment: hub.settings.environment)
        return path == "~" ? home : path.hasPrefix("~/") ? home + path.dropFirst() : path
    }

    /// The store at `storePath`; a new one (and an empty cache) when `cron.store` changes.
    private var store: CronJobStore {
        let path = storePath
        if let current = currentStore, current.path == path { return current }
        let store = CronJobStore(path: path)
        currentStore = store
        return store
    }

    private var runLog: CronRunLog {
        CronRunLog(
            storeDirectory: (storePath as NSString).deletingLastPathComponent,
            maxBytes: config?.runLog?.maxBytes ?? ConfigDefaults.cronRunLogMaxBytes, keepLines: config?.runLog?.keepLines ?? ConfigDefaults.cronRunLogKeepLines
        )
    }

    // MARK: - Lifecycle

    /// Clears the running markers an earlier process left (those jobs are not run again), then runs what was
    /// missed while the gateway was down and arms the timer.
    func start() {
        if var file = try? loadFile() {
            let now = clock.nowMs
            var changed = false
            for index in file.jobs.indices where file.jobs[index].state.runningAtMs != nil {
                file.jobs[index].state.runningAtMs = nil
                file.jobs[index].state.lastStatus = .error
                file.jobs[index].state.lastError = "interrupted: the gateway stopped during the run"
                if file.jobs[index].schedule.kind == .at {
                    file.jobs[index].enabled = false
                    file.jobs[index].state.nextRunAtMs = nil
                } else {
                    // Strictly after now: a run on the grid point of this very moment would be a re-run.
                    file.jobs[index].state.nextRunAtMs = naturalNext(file.jobs[index], after: now + 1)
                }
                changed = true
            }
            if changed { try? saveFile(file) }
        }
        tick()
    }

    func stop() {
        stopped = true
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        for job in running.values { job.task?.cancel() }
    }

    /// `cron.*` changed (enabled, store, concurrency): look again now.
    func configChanged() {
        tick()
    }

    /// When the timer fires next, or nil.
    var nextWakeAtMs: Int? { timerDeadline }

    // MARK: - The timer

    /// Starts the due jobs (within the concurrency limit) and arms the timer for the next one.
    private func tick() {
        guard !stopped else { return }
        guard isEnabled else {
            cancelTimer()
            return
        }
        let now = clock.nowMs
        var file: CronStoreFile
        do {
            file = try loadFile()
        } catch {
            arm(at: now + Self.maxTimerDelayMs)
            return
        }
        let plan = CronTickPlan.make(
            jobs: file.jobs, nowMs: now, running: Set(running.keys), limit: config?.maxConcurrentRuns ?? ConfigDefaults.cronMaxConcurrentRuns
        )
        file.jobs = plan.jobs
        if plan.changed {
            do {
                try saveFile(file)
            } catch {
                hub.logger.error("[cron] could not save \(storePath): \(error.message)")
                arm(at: now + Self.maxTimerDelayMs)
                return
            }
        }
        for index in plan.due { launch(file.jobs[index], runId: UUID().uuidString.lowercased(), at: now) }
        arm(at: plan.deadline)
    }

    private func arm(at deadline: Int) {
        guard deadline != timerDeadline || timer == nil else { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = Task { [clock] in
            do { try await clock.sleep(untilMs: deadline) } catch { return }
            await self.timerFired(deadline)
        }
    }

    private func timerFired(_ deadline: Int) {
        guard timerDeadline == deadline else { return }
        timer = nil
        timerDeadline = nil
        tick()
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }

    // MARK: - Runs

    private func launch(_ job: CronJob, runId: String, at now: Int) {
        running[job.id] = Running(runId: runId, startedAtMs: now)
        emit(CronEvent(jobId: job.id, action: .started, runId: runId, runAtMs: now))
        hub.logger.info("[cron] job \(job.id) (\(job.name)) started")
        let runner = CronJobRunner(hub: hub, clock: clock, heartbeat: heartbeat)
        running[job.id]?.task = Task {
            let result = await runner.run(job)
            self.finish(job, runId: runId, startedAt: now, result: result)
        }
    }

    /// Records a finished run: the job's state and next run (or its removal), the run log, the `finished` event.
    private func finish(_ original: CronJob, runId: String, startedAt: Int, result: CronJobRunner.Result) {
        running[original.id] = nil
        let now = clock.nowMs
        let duration = max(now - startedAt, 0)
        var nextRunAtMs: Int?
        var removed = false
        if var file = try? loadFile(), let index = file.jobs.firstIndex(where: { $0.id == original.id }) {
            var job = file.jobs[index]
            let failed = result.status == .error
            job.state.runningAtMs = nil
            job.state.lastRunAtMs = startedAt
            job.state.lastStatus = result.status
            job.state.lastError = result.error
            job.state.lastDurationMs = duration
            job.state.consecutiveErrors = failed ? (job.state.consecutiveErrors ?? 0) + 1 : 0
            if job.schedule.kind == .at {
                job.state.nextRunAtMs = nil
                if result.status == .ok, job.deleteAfterRun ?? true {
                    removed = true
                } else {
                    job.enabled = false
                }
            } else if job.enabled {
                // An `every` grid point equal to the end is the run that just happened: the next one is after it.
                let natural = naturalNext(job, after: job.schedule.kind == .every ? now + 1 : now)
                job.state.nextRunAtMs = CronBackoff.nextRunAtMs(
                    naturalNextMs: natural.map(Int64.init), endedAtMs: Int64(now), failed: failed, consecutiveErrors: job.state.consecutiveErrors ?? 0,
                    isCron: job.schedule.kind == .cron
                ).map { Int($0) }
            }
            nextRunAtMs = job.state.nextRunAtMs
            if removed { file.jobs.remove(at: index) } else { file.jobs[index] = job }
            do {
                try saveFile(file)
            } catch {
                hub.logger.error("[cron] could not save \(storePath) after job \(original.id): \(error.message)")
            }
        }
        let summary = result.summary.map { String($0.prefix(Self.summaryLimit)) }
        let entry = CronRunLogEntry(
            ts: now, jobId: original.id, action: CronEventAction.finished.rawValue, status: result.status, error: result.error, summary: summary,
            sessionId: result.sessionId, sessionKey: result.sessionKey, runAtMs: startedAt, durationMs: duration, nextRunAtMs: nextRunAtMs
        )
        do {
            try runLog.append(entry)
        } catch {
            hub.logger.warning("[cron] could not write the run log of \(original.id): \(error.message)")
        }
        hub.logger.info("[cron] job \(original.id) (\(original.name)) finished: \(result.status.rawValue)\(result.error.map { " (\($0))" } ?? "")")
        emit(
            CronEvent(
                jobId: original.id, action: .finished, runId: runId, nextRunAtMs: nextRunAtMs, runAtMs: startedAt, status: result.status, error: result.error,
                summary: summary, durationMs: duration, sessionId: result.sessionId, sessionKey: result.sessionKey
            )
        )
        if removed { emit(CronEvent(jobId: original.id, action: .removed)) }
        tick()
    }

    private func naturalNext(_ job: CronJob, after now: Int) -> Int? { CronTickPlan.naturalNext(job, after: now) }

    // MARK: - Methods

    func list(_ params: CronListParams) throws(GatewayError) -> CronListResult {
        var jobs = try loadForMethod().jobs
        let filter = params.enabled ?? (params.includeDisabled == true ? "all" : "enabled")
        switch filter {
        case "all": break
        case "disabled": jobs.removeAll { $0.enabled }
        default: jobs.removeAll { !$0.enabled }
        }
        if let query = params.query?.trimmingCharacters(in: .whitespaces).lowercased(), !query.isEmpty {
            jobs.removeAll { job in ![job.name, job.description ?? "", job.id].contains { $0.lowercased().contains(query) } }
        }
        let descending = params.sortDir == "desc"
        jobs.sort { a, b in
            let ordered: Bool
            switch params.sortBy {
            case "name": ordered = a.name.localizedCaseInsensitiveCompare(b.name) == .orderedAscending
            case "updatedAtMs": ordered = a.updatedAtMs < b.updatedAtMs
            default: ordered = (a.state.nextRunAtMs ?? Int.max) < (b.state.nextRunAtMs ?? Int.max)
            }
            return descending ? !ordered : ordered
        }
        guard params.limit != nil || params.offset != nil else { return CronListResult(jobs: jobs) }
        let total = jobs.count
        let offset = min(params.offset ?? 0, total)
        let limit = params.limit ?? 50
        let page = Array(jobs[offset..<min(offset + limit, total)])
        let hasMore = offset + page.count < total
        return CronListResult(jobs: page, total: total, offset: offset, limit: limit, hasMore: hasMore, nextOffset: hasMore ? offset + page.count : nil)
    }

    func status() throws(GatewayError) -> CronStatusResult {
        let jobs = try loadForMethod().jobs
        let earliest = jobs.filter(\.enabled).compactMap(\.state.nextRunAtMs).min()
        return CronStatusResult(enabled: isEnabled, storePath: storePath, jobs: jobs.count, nextWakeAtMs: isEnabled ? (timerDeadline ?? earliest) : nil)
    }

    func add(_ params: CronAddParams) throws(GatewayError) -> CronJob {
        var file = try loadForMethod()
        let now = clock.nowMs
        var job: CronJob
        do {
            job = try CronJobRules.job(from: params, id: UUID().uuidString.lowercased(), nowMs: now)
        } catch {
            throw GatewayError.invalidRequest(error.message)
        }
        if job.enabled { job.state.nextRunAtMs = naturalNext(job, after: now) }
        file.jobs.append(job)
        try saveForMethod(file)
        hub.logger.info("[cron] job \(job.id) (\(job.name)) added")
        emit(CronEvent(jobId: job.id, action: .added, nextRunAtMs: job.state.nextRunAtMs))
        tick()
        return job
    }

    func update(_ params: CronUpdateParams) throws(GatewayError) -> CronJob {
        let id = try Self.jobId(params.id ?? params.jobId, method: "cron.update")
        var file = try loadForMethod()
        guard let index = file.jobs.firstIndex(where: { $0.id == id }) else { throw Self.unknown(id) }
        let now = clock.nowMs
        let old = file.jobs[index]
        var job: CronJob
        do {
            job = try CronJobRules.apply(params.patch, to: old, nowMs: now)
        } catch {
            throw GatewayError.invalidRequest(error.message)
        }
        if job.schedule != old.schedule || (job.enabled && !old.enabled) {
            job.state.nextRunAtMs = job.enabled ? naturalNext(job, after: now) : nil
            job.state.consecutiveErrors = 0
        }
        if !job.enabled { job.state.nextRunAtMs = nil }
        file.jobs[index] = job
        try saveForMethod(file)
        emit(CronEvent(jobId: job.id, action: .updated, nextRunAtMs: job.state.nextRunAtMs))
        tick()
        return job
    }

    func remove(_ ref: CronJobRef) throws(GatewayError) -> CronRemoveResult {
        let id = try Self.jobId(ref.id ?? ref.jobId, method: "cron.remove")
        var file = try loadForMethod()
        guard let index = file.jobs.firstIndex(where: { $0.id == id }) else { return CronRemoveResult(ok: true, removed: false) }
        file.jobs.remove(at: index)
        file.jobExtras[id] = nil
        try saveForMethod(file)
        running[id]?.task?.cancel()
        emit(CronEvent(jobId: id, action: .removed))
        tick()
        return CronRemoveResult(ok: true, removed: true)
    }

    /// Starts a run now (`force`) or only when due; the answer comes before the run ends.
    func run(_ params: CronRunParams) throws(GatewayError) -> CronRunResult {
        let id = try Self.jobId(params.id ?? params.jobId, method: "cron.run")
        var file = try loadForMethod()
        guard let index = file.jobs.firstIndex(where: { $0.id == id }) else { throw Self.unknown(id) }
        let now = clock.nowMs
        if running[id] != nil || file.jobs[index].state.runningAtMs != nil { return CronRunResult(ok: true, ran: false, reason: "already-running") }
        if params.mode == .due {
            guard file.jobs[index].enabled, let next = file.jobs[index].state.nextRunAtMs, next <= now else {
                return CronRunResult(ok: true, ran: false, reason: "not-due")
            }
        }
        file.jobs[index].state.runningAtMs = now
        try saveForMethod(file)
        let runId = UUID().uuidString.lowercased()
        launch(file.jobs[index], runId: runId, at: now)
        return CronRunResult(ok: true, enqueued: true, runId: runId)
    }

    func runs(_ params: CronRunsParams) throws(GatewayError) -> CronRunsResult {
        let id = try Self.jobId(params.id ?? params.jobId, method: "cron.runs")
        do {
            return CronRunsResult(entries: try runLog.read(jobId: id, limit: params.limit ?? 200))
        } catch {
            throw GatewayError.invalidRequest(error.message)
        }
    }

    // MARK: - Store

    private func loadFile() throws(CronStoreError) -> CronStoreFile {
        do {
            let file = try store.load()
            loggedStoreError = nil
            return file
        } catch {
            if loggedStoreError != error.message {
                hub.logger.error("[cron] \(error.message); no job runs until it is fixed")
                loggedStoreError = error.message
            }
            throw error
        }
    }

    private func saveFile(_ file: CronStoreFile) throws(CronStoreError) {
        try store.save(file)
    }

    private func loadForMethod() throws(GatewayError) -> CronStoreFile {
        do {
            return try loadFile()
        } catch {
            throw GatewayError(.unavailable, error.message)
        }
    }

    private func saveForMethod(_ file: CronStoreFile) throws(GatewayError) {
        do {
            try saveFile(file)
        } catch {
            throw GatewayError(.unavailable, error.message)
        }
    }

    private static func jobId(_ value: String?, method: String) throws(GatewayError) -> String {
        guard let id = value?.trimmingCharacters(in: .whitespaces), !id.isEmpty else {
            throw GatewayError.invalidRequest("invalid \(method) params: missing id")
        }
        return id
    }

    private static func unknown(_ id: String) -> GatewayError {
        GatewayError.invalidRequest("unknown cron job id: \(id)")
    }

    private func emit(_ event: CronEvent) {
        if let frame = try? OutboundEvent.cron(event) { hub.broadcast(frame) }
    }
}
