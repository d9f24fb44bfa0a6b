// Sources/Runtime/Automation/AutomationClock.swift - wall time for the heartbeat and cron schedulers

import Foundation
import Synchronization

/// The time source of the schedulers. Heartbeats and cron jobs are due at wall-clock instants
/// (`nextRunAtMs`, a daily `0 9 * * *`), so this is milliseconds since the epoch, not a monotonic
/// clock; tests hand the gateway a `ManualAutomationClock` and move time instead of waiting for it.
public protocol AutomationClock: Sendable {
    /// Milliseconds since 1970.
    var nowMs: Int { get }
    /// Returns once `nowMs >= deadline`, or throws `CancellationError` when the task is cancelled.
    func sleep(untilMs deadline: Int) async throws
}

/// The real clock. A sleep is re-checked against the wall clock when it ends, so a clock that
/// jumped (NTP, suspend) still fires at the right wall time.
public struct SystemAutomationClock: AutomationClock {
    public init() {}

    public var nowMs: Int { Int(Date().timeIntervalSince1970 * 1000) }

    public func sleep(untilMs deadline: Int) async throws {
        while true {
            let left = deadline - nowMs
            if left <= 0 { return }
            try await Task.sleep(for: .milliseconds(left))
        }
    }
}

/// A clock that moves only when told: `advance(by:)` wakes every sleeper whose deadline has come,
/// earliest first. Tests use it to run a 30-minute heartbeat or a daily cron job in milliseconds.
public final class ManualAutomationClock: AutomationClock {
    private struct Sleeper {
        let id: Int
        let deadline: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Int
        var nextId = 0
        var sleepers: [Sleeper] = []
        /// `waitForSleeper` calls, by the deadline they wait for.
        var watchers: [(deadline: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state: Mutex<State>

    public init(nowMs: Int) {
        state = Mutex(State(now: nowMs))
    }

    public var nowMs: Int { state.withLock { $0.now } }

    /// How many tasks are sleeping on this clock (tests wait until a scheduler has armed its timer).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline anyone waits for.
    public var nextDeadline: Int? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    public func sleep(untilMs deadline: Int) async throws {
        let id = state.withLock { state -> Int in
            state.nextId += 1
            return state.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (ready, watchers) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                    if state.now >= deadline { return (true, []) }
                    if Task.isCancelled { return (true, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    let matching = state.watchers.filter { $0.deadline == deadline }.map(\.continuation)
                    state.watchers.removeAll { $0.deadline == deadline }
                    return (false, matching)
                }
                for watcher in watchers { watcher.resume() }
                if ready {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Returns once some task sleeps until exactly `deadline` (a scheduler armed its timer there).
    public func waitForSleeper(until deadline: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let armed = state.withLock { state -> Bool in
                if state.sleepers.contains(where: { $0.deadline == deadline }) { return true }
                state.watchers.append((deadline, continuation))
                return false
            }
            if armed { continuation.resume() }
        }
    }

    /// Moves time forward and resumes the sleepers that are now due.
    public func advance(by milliseconds: Int) {
        set(nowMs: nowMs + milliseconds)
    }

    /// Moves time to `nowMs` (never backwards) and resumes the sleepers that are now due.
    public func set(nowMs: Int) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, nowMs)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
