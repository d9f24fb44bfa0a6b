// Sources/Runtime/Agents/ActiveRun.swift - one accepted run: its phase, its cancellation, its waiters

import Synchronization

/// A run from acceptance to its outcome. Abort records why (`aborted`, `shutdown`, `timeout`) and
/// cancels the executing task, which closes the upstream request; waiters resume once with the outcome.
final class ActiveRun: Sendable {
    enum Phase: Sendable {
        case queued, running, done
    }

    private struct State {
        var phase = Phase.queued
        var task: Task<Void, Never>?
        var abortReason: String?
        var startedAt: Int?
        var outcome: RunOutcome?
        var waiters: [Int: CheckedContinuation<RunOutcome?, Never>] = [:]
        var settleHooks: [@Sendable (RunOutcome) -> Void] = []
        var finishHooks: [@Sendable (RunOutcome) -> Void] = []
        /// Set once `complete` has begun: hooks registered later run at once with it.
        var completion: RunOutcome?
        var nextWaiter = 0
    }

    let request: RunRequest
    let events: RunEvents
    private let state = Mutex(State())

    init(request: RunRequest, events: RunEvents) {
        self.request = request
        self.events = events
    }

    var id: String { request.runId }
    var phase: Phase { state.withLock { $0.phase } }
    var abortReason: String? { state.withLock { $0.abortReason } }
    var startedAt: Int? { state.withLock { $0.startedAt } }
    var outcome: RunOutcome? { state.withLock { $0.outcome } }

    /// Marks the run as executing in `task`; false when it was aborted while queued.
    func start(_ makeTask: () -> Task<Void, Never>, at now: Int) -> Bool {
        state.withLock { state in
            guard state.phase == .queued, state.abortReason == nil else { return false }
            state.phase = .running
            state.startedAt = now
            state.task = makeTask()
            return true
        }
    }

    /// Records `reason` (the first one wins) and cancels a running task. Returns the phase it was in
    /// and whether this call was the one that aborted it.
    @discardableResult
    func abort(reason: String) -> (phase: Phase, first: Bool) {
        let (phase, task, first) = state.withLock { state -> (Phase, Task<Void, Never>?, Bool) in
            guard state.phase != .done, state.abortReason == nil else { return (state.phase, nil, false) }
            state.abortReason = reason
            return (state.phase, state.task, true)
        }
        task?.cancel()
        return (phase, first)
    }

    /// Runs `body` with the outcome before the run's terminal events go out (settle what a retry
    /// will see, so no one who saw the final event can get a stale answer).
    func onSettle(_ body: @escaping @Sendable (RunOutcome) -> Void) {
        if let late = register(body, in: \.settleHooks) { body(late) }
    }

    /// Runs `body` with the outcome right after the terminal events, before any waiter wakes (the
    /// second `res` of `agent`, queued before a shutdown can close the socket).
    func onFinish(_ body: @escaping @Sendable (RunOutcome) -> Void) {
        if let late = register(body, in: \.finishHooks) { body(late) }
    }

    /// Adds a hook, or returns the outcome when the run has already begun completing (the caller runs it then).
    private func register(_ body: @escaping @Sendable (RunOutcome) -> Void, in hooks: WritableKeyPath<State, [@Sendable (RunOutcome) -> Void]>) -> RunOutcome? {
        state.withLock { state in
            if let completion = state.completion { return completion }
            state[keyPath: hooks].append(body)
            return nil
        }
    }

    /// Settles, sends the terminal events, answers, then wakes waiters; only the first call counts.
    func complete(_ outcome: RunOutcome) {
        let hooks = state.withLock { state -> (settle: [@Sendable (RunOutcome) -> Void], finish: [@Sendable (RunOutcome) -> Void])? in
            guard state.phase != .done, state.completion == nil else { return nil }
            state.completion = outcome
            defer {
                state.settleHooks.removeAll()
                state.finishHooks.removeAll()
            }
            return (state.settleHooks, state.finishHooks)
        }
        guard let hooks else { return }
        for hook in hooks.settle { hook(outcome) }
        events.finish(outcome)
        for hook in hooks.finish { hook(outcome) }
        resume(outcome)
    }

    private func resume(_ outcome: RunOutcome) {
        let waiters = state.withLock { state -> [CheckedContinuation<RunOutcome?, Never>]? in
            guard state.phase != .done else { return nil }
            state.phase = .done
            state.outcome = outcome
            state.task = nil
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters ?? [] { waiter.resume(returning: outcome) }
    }

    /// The outcome once the run ends; nil only when the waiting task is cancelled first.
    func finished() async -> RunOutcome? {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> (ready: Bool, outcome: RunOutcome?) in
                    if let outcome = state.outcome { return (true, outcome) }
                    if Task.isCancelled { return (true, nil) }
                    state.waiters[id] = continuation
                    return (false, nil)
                }
                if now.ready { continuation.resume(returning: now.outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }

    /// The outcome if the run ends within `timeout`, else nil; the run itself goes on.
    func finished(within timeout: Duration) async -> RunOutcome? {
        await withTaskGroup(of: RunOutcome?.self) { group in
            group.addTask { await self.finished() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
