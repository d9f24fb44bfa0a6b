// Sources/Runtime/Agents/AgentRuntime.swift - accepted runs: session lanes, the global cap, abort, wait, shutdown

import Foundation
import Generated
import Synchronization
import Tracing

/// Schedules runs. Each session key is a lane: one run at a time, the rest queued in order. At
/// most `agents.defaults.maxConcurrent` runs execute at once; lanes whose next run waits for a slot
/// are served first come, first served. Finished outcomes are kept for `agent.wait`.
final class AgentRuntime: Sendable {
    private struct State {
        var runs: [String: ActiveRun] = [:]
        var lanes: [String: [ActiveRun]] = [:]
        /// Lanes whose head waits for a global slot, in arrival order.
        var ready: [String] = []
        var running = 0
        var finished: [String: RunOutcome] = [:]
        var finishedOrder: [String] = []
        var stopping = false
        /// The trace context each queued run was submitted in, so its span joins the submitter's trace even when it
        /// starts later from another run's task.
        var parents: [String: InstrumentationContext] = [:]
    }

    static let finishedCapacity = 1000

    unowned let hub: GatewayHub
    let store: SessionStore
    let systemEvents = SystemEvents()
    private let environment: [String: String]
    private let state = Mutex(State())

    init(hub: GatewayHub, store: SessionStore, environment: [String: String]) {
        self.hub = hub
        self.store = store
        self.environment = environment
    }

    // MARK: - Submitting

    /// Queues a run in its session's lane; it starts when the lane and a global slot are free.
    func submit(_ run: ActiveRun) {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.runs[run.id] = run
            if hub.tracer.isOn, let parent = InstrumentationContext.current { state.parents[run.id] = parent }
            state.lanes[run.request.sessionKey, default: []].append(run)
            if state.lanes[run.request.sessionKey]!.count == 1 { state.ready.append(run.request.sessionKey) }
            return true
        }
        if accepted {
            pump()
        } else {
            run.abort(reason: "shutdown")
            complete(run, outcome: skipped(run, reason: "shutdown"))
        }
    }

    /// A run that is queued or running.
    func active(_ runId: String) -> ActiveRun? { state.withLock { $0.runs[runId] } }

    /// The outcome of a run that ended recently.
    func outcome(of runId: String) -> RunOutcome? { state.withLock { $0.finished[runId] } }

    /// The queued and running runs of a session, oldest first.
    func runs(in sessionKey: String) -> [ActiveRun] { state.withLock { $0.lanes[sessionKey] ?? [] } }

    var activeCount: Int { state.withLock { $0.runs.count } }

    // MARK: - Aborting

    /// Aborts `runIds` (running ones stop streaming, queued ones never start); returns the ids that were live.
    @discardableResult
    func abort(_ runs: [ActiveRun], reason: String) -> [String] {
        var aborted: [String] = []
        for run in runs {
            let (phase, first) = run.abort(reason: reason)
            guard first else { continue }
            aborted.append(run.id)
            if phase == .queued { dequeue(run) }
        }
        return aborted
    }

    /// Aborts every run with `stopReason: "shutdown"` and waits (up to `timeout`) until each has
    /// recorded that and sent its final events; later submissions are refused.
    func shutdown(timeout: Duration) async {
        let runs = state.withLock { state -> [ActiveRun] in
            state.stopping = true
            return Array(state.runs.values)
        }
        guard !runs.isEmpty else { return }
        hub.logger.info("[agents] aborting \(runs.count) run(s) for shutdown")
        abort(runs, reason: "shutdown")
        await withTaskGroup(of: Void.self) { group in
            for run in runs { group.addTask { _ = await run.finished(within: timeout) } }
        }
    }

    // MARK: - Scheduling

    private func pump() {
        let config = hub.config.withLock { $0.config }
        let limit = config.agents?.defaults?.maxConcurrent ?? ConfigDefaults.agentsDefaultsMaxConcurrent
        while true {
            let next = state.withLock { state -> ActiveRun? in
                guard state.running < limit, !state.ready.isEmpty else { return nil }
                let key = state.ready.removeFirst()
                guard let head = state.lanes[key]?.first else { return nil }
                state.running += 1
                return head
            }
            guard let next else { return }
            launch(next, config: config)
        }
    }

    private func launch(_ run: ActiveRun, config: OpenClawConfig) {
        let executor = RunExecutor(config: config, store: store, environment: environment, calls: ModelCallObserver(tracer: hub.tracer, metrics: hub.metrics))
        let parent = state.withLock { $0.parents.removeValue(forKey: run.id) }
        let span = hub.tracer.start(GatewaySpans.run, parent: parent)
        GatewaySpans.startRun(span, run.request)
        let started = run.start(
            {
                // Runs stay on the concurrency pool. Running each on one event loop (commit 29bcd9c) cut CPU per request
                // by 15–25% in the bench, but a run's synchronous store reads then held that loop's sockets, and full
                // test runs on a loaded 2-core machine grew flaky; it was reverted until those reads leave the loop.
                return Task {
                    let timer = Task {
                        try await Task.sleep(for: run.request.timeout)
                        run.abort(reason: "timeout")
                    }
                    let outcome = await span.run { await executor.execute(run) }
                    timer.cancel()
                    GatewaySpans.finishRun(span, outcome)
                    span.end()
                    self.finish(run, outcome: outcome)
                }
            }, at: Int(Clock.nowMs))
        if !started {
            span.end()
            // Aborted between leaving the queue and starting: give the slot back.
            state.withLock { $0.running -= 1 }
            finish(run, outcome: skipped(run, reason: run.abortReason ?? "aborted"), wasRunning: false)
        }
    }

    /// Removes an aborted run that never started and reports it.
    private func dequeue(_ run: ActiveRun) {
        let removed = state.withLock { state -> Bool in
            guard var lane = state.lanes[run.request.sessionKey], let index = lane.firstIndex(where: { $0 === run }) else { return false }
            // The head of a lane may already be leaving the queue; `launch` reports that one.
            if index == 0 && !state.ready.contains(run.request.sessionKey) { return false }
            lane.remove(at: index)
            state.lanes[run.request.sessionKey] = lane.isEmpty ? nil : lane
            if lane.isEmpty { state.ready.removeAll { $0 == run.request.sessionKey } }
            state.runs[run.id] = nil
            state.parents[run.id] = nil
            return true
        }
        guard removed else { return }
        complete(run, outcome: skipped(run, reason: run.abortReason ?? "aborted"))
        pump()
    }

    private func skipped(_ run: ActiveRun, reason: String) -> RunOutcome {
        RunOutcome(
            status: .ok, text: "", stopReason: reason, usage: nil, provider: nil, model: nil, failure: nil, startedAt: nil,
            endedAt: Int(Clock.nowMs), toolCalls: 0, sessionId: ""
        )
    }

    /// A run ended: free its slot and lane, remember the outcome, start what waits.
    private func finish(_ run: ActiveRun, outcome: RunOutcome, wasRunning: Bool = true) {
        state.withLock { state in
            if wasRunning { state.running -= 1 }
            let key = run.request.sessionKey
            if var lane = state.lanes[key], let index = lane.firstIndex(where: { $0 === run }) {
                lane.remove(at: index)
                state.lanes[key] = lane.isEmpty ? nil : lane
                if !lane.isEmpty && index == 0 { state.ready.append(key) }
            }
            state.runs[run.id] = nil
        }
        complete(run, outcome: outcome)
        pump()
    }

    private func complete(_ run: ActiveRun, outcome: RunOutcome) {
        hub.metrics.run(
            outcome: outcome.metricsLabel, duration: outcome.startedAt.map { .milliseconds(max(outcome.endedAt - $0, 0)) },
            inputTokens: outcome.usage?.input ?? 0, outputTokens: outcome.usage?.output ?? 0
        )
        state.withLock { state in
            state.finished[run.id] = outcome
            state.finishedOrder.append(run.id)
            if state.finishedOrder.count > Self.finishedCapacity {
                let drop = state.finishedOrder.count - Self.finishedCapacity
                for id in state.finishedOrder.prefix(drop) { state.finished[id] = nil }
                state.finishedOrder.removeFirst(drop)
            }
        }
        run.complete(outcome)
    }
}
