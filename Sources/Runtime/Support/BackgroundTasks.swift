// Sources/Runtime/Support/BackgroundTasks.swift - the owner of the unstructured work a gateway (or a client) starts

import Synchronization

/// Work that outlives the call that started it (a reply delivered after a run, a throttled broadcast, a channel
/// restart) still has an owner: each task is registered here until it ends, and `shutdown` cancels what is left and
/// waits for it, bounded. Nothing the gateway starts is left running after it has stopped.
public final class BackgroundTasks: Sendable {
    private struct State {
        var next = 0
        var tasks: [Int: Task<Void, Never>] = [:]
        var closed = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Tasks still running.
    public var count: Int { state.withLock { $0.tasks.count } }

    /// Starts `operation` as an owned task. After `shutdown` it still starts, but already cancelled, so it can say so
    /// (answer with an error, skip a delivery) instead of being dropped silently.
    public func spawn(_ operation: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            guard !state.closed else {
                Task { await operation() }.cancel()
                return
            }
            let id = state.next
            state.next += 1
            // Registered inside the lock: the task's own `finished` waits for it, so it cannot run first.
            state.tasks[id] = Task {
                await operation()
                self.finished(id)
            }
        }
    }

    /// Cancels every task and waits until they have ended or `grace` has passed; later spawns start cancelled.
    public func shutdown(grace: Duration) async {
        let tasks = cancelAll()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for task in tasks { await task.value }
            }
            group.addTask { try? await Task.sleep(for: grace) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Cancels every task without waiting; later spawns start cancelled. Returns the tasks that were running.
    @discardableResult
    public func cancelAll() -> [Task<Void, Never>] {
        let tasks = state.withLock { state in
            state.closed = true
            return Array(state.tasks.values)
        }
        for task in tasks { task.cancel() }
        return tasks
    }

    private func finished(_ id: Int) {
        _ = state.withLock { $0.tasks.removeValue(forKey: id) }
    }
}
