// Sources/Runtime/Automation/Heartbeat/HeartbeatScheduler.swift - when beats run: the interval timer and wake requests

import Foundation
import Synchronization

/// Upstream's heartbeat runner and wake layer (`heartbeat-runner.ts`, `heartbeat-wake.ts`). Each
/// beating agent is due one interval after its last beat (the first one interval after start); one
/// timer is armed for the earliest due agent and, when it fires, asks for a beat with reason
/// `interval`, which runs only the due agents. Any other reason (`wake`, `hook:wake`, `cron:<id>`)
/// runs every heartbeat agent. Requests within `coalesceMs` of each other make one pass; a pass
/// that meets a busy session stops and is retried after a second. A config reload keeps each
/// agent's last beat, so a changed interval counts from it.
final class HeartbeatScheduler: Sendable {
    static let retryMs = 1000
    static let defaultCoalesceMs = 250

    private struct State {
        var lastRunMs: [String: Int] = [:]
        var policies: [HeartbeatPolicy] = []
        var pendingReason: String?
        var wake: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var timerDeadline: Int?
        var running = false
        var stopped = false
    }

    let runner: HeartbeatRunner
    private let policies: @Sendable () -> [HeartbeatPolicy]
    private let state = Mutex(State())

    /// - Parameter policies: the beating agents under the current config, read again on every reload.
    init(runner: HeartbeatRunner, policies: @escaping @Sendable () -> [HeartbeatPolicy]) {
        self.runner = runner
        self.policies = policies
    }

    private var clock: any AutomationClock { runner.clock }

    /// Starts the schedule: every agent's first beat is one interval from now.
    func start() {
        let now = clock.nowMs
        let current = policies()
        state.withLock { state in
            state.policies = current
            for policy in current { state.lastRunMs[policy.agentId] = now }
        }
        armTimer()
    }

    func stop() {
        let tasks = state.withLock { state -> [Task<Void, Never>?] in
            state.stopped = true
            defer {
                state.wake = nil
                state.timer = nil
            }
            return [state.wake, state.timer]
        }
        for task in tasks { task?.cancel() }
    }

    /// The heartbeat config changed: new agents start their interval now, known ones keep their last beat.
    func configChanged() {
        let now = clock.nowMs
        let current = policies()
        state.withLock { state in
            state.policies = current
            for policy in current where state.lastRunMs[policy.agentId] == nil { state.lastRunMs[policy.agentId] = now }
        }
        armTimer()
    }

    /// `set-heartbeats`: off stops the timer; on re-arms it.
    func setEnabled(_ enabled: Bool) {
        runner.enabled = enabled
        armTimer()
    }

    /// When the interval timer fires next (nil: no agent beats, or heartbeats are off).
    var nextDueMs: Int? { state.withLock { $0.timerDeadline } }

    /// The agents that beat, as last resolved.
    var currentPolicies: [HeartbeatPolicy] { state.withLock { $0.policies } }

    /// Asks for a beat of every heartbeat agent (only the due ones for `interval`) after `coalesceMs`.
    func requestNow(reason: String?, coalesceMs: Int = defaultCoalesceMs) {
        let deadline = clock.nowMs + max(coalesceMs, 0)
        state.withLock { state in
            guard !state.stopped else { return }
            state.pendingReason = Self.merge(state.pendingReason, reason ?? "requested")
            guard state.wake == nil else { return }
            state.wake = Task { [self] in
                do { try await clock.sleep(untilMs: deadline) } catch { return }
                await fire()
            }
        }
    }

    /// One beat of `agentId` now (cron's main-session jobs): `requests-in-flight` while another pass runs.
    func runOnce(agentId: String, reason: String) async -> BeatResult {
        let policy = state.withLock { state -> HeartbeatPolicy?? in
            guard !state.running else { return .none }
            state.running = true
            return .some(state.policies.first { $0.agentId == agentId })
        }
        guard case .some(let found) = policy else { return .requestsInFlight }
        defer {
            state.withLock { $0.running = false }
            armTimer()
        }
        guard let found else { return .disabled }
        let result = await runner.beat(found, reason: reason)
        if result != .disabled, result != .requestsInFlight { state.withLock { $0.lastRunMs[agentId] = clock.nowMs } }
        return result
    }

    /// A wake came due: one pass over the agents, unless one is already running (then try again shortly).
    private func fire() async {
        let pass = state.withLock { state -> (String, [HeartbeatPolicy])? in
            state.wake = nil
            guard !state.stopped else { return nil }
            guard !state.running else { return nil }
            state.running = true
            let reason = state.pendingReason ?? "requested"
            state.pendingReason = nil
            return (reason, state.policies)
        }
        guard let (reason, policies) = pass else {
            if !state.withLock({ $0.stopped }) { requestNow(reason: nil) }
            return
        }
        var retry = false
        for policy in policies {
            if reason == "interval" {
                let due = state.withLock { state in state.lastRunMs[policy.agentId].map { $0 + (policy.intervalMs ?? Int.max / 2) } } ?? 0
                if due > clock.nowMs { continue }
            }
            let result = await runner.beat(policy, reason: reason)
            // Upstream also counts a busy session as a beat; here it stays due, so the retry a second later runs it.
            if result != .disabled, result != .requestsInFlight { state.withLock { $0.lastRunMs[policy.agentId] = clock.nowMs } }
            if result == .requestsInFlight {
                retry = true
                break
            }
        }
        state.withLock { $0.running = false }
        if retry { requestNow(reason: reason, coalesceMs: Self.retryMs) }
        armTimer()
    }

    /// Arms the interval timer for the earliest due agent.
    private func armTimer() {
        let enabled = runner.enabled
        state.withLock { state in
            guard !state.stopped else { return }
            let deadline =
                enabled
                ? state.policies.compactMap { policy in policy.intervalMs.map { (state.lastRunMs[policy.agentId] ?? 0) + $0 } }.min() : nil
            guard deadline != state.timerDeadline || state.timer == nil else { return }
            state.timer?.cancel()
            state.timer = nil
            state.timerDeadline = deadline
            guard let deadline else { return }
            state.timer = Task { [self] in
                do { try await clock.sleep(untilMs: deadline) } catch { return }
                self.state.withLock { state in
                    if state.timerDeadline == deadline {
                        state.timer = nil
                        state.timerDeadline = nil
                    }
                }
                requestNow(reason: "interval", coalesceMs: 0)
            }
        }
    }

    /// Two reasons waiting for one pass: anything but `interval`/`retry` wins, so a wake runs every agent.
    private static func merge(_ old: String?, _ new: String) -> String {
        guard let old else { return new }
        let weak: Set<String> = ["interval", "retry"]
        return weak.contains(new) && !weak.contains(old) ? old : new
    }
}
