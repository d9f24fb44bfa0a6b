// Sources/Runtime/Sessions/GroupCommit.swift - concurrent session-store writes share one commit

import Dispatch
import GRDB
import NIOPosix
import Synchronization

/// Lets concurrent writers of the session store share transactions (group commit).
///
/// Why: every accepted message is one transaction, and each commit costs a WAL sync (`synchronous=FULL`) plus
/// SQLite's begin/commit work; with 32 runs in flight those commits queued one behind the other on GRDB's writer
/// queue, each blocking a thread of the small concurrency pool while it waited. Here a write that arrives while a
/// batch is committing waits (suspended, not blocking) and goes into the next batch with every other write that
/// arrived meanwhile: N concurrent writes pay one commit.
///
/// - Each write runs in its own savepoint, so a failing write is rolled back alone and only its caller sees the
///   error; a failed commit fails every write of the batch. No caller is resumed before the commit holding its write
///   is durable, so "acknowledged means stored" holds as before.
/// - The first writer to find nothing committing commits its own batch on its own thread, so a lone writer pays no
///   thread hop; batches that queued up meanwhile are committed on `drainQueue`, not by that writer, whose task
///   continues at once.
final class GroupCommit: Sendable {
    private struct Pending: Sendable {
        /// Runs the write inside the batch's transaction, keeping its own outcome.
        let run: @Sendable (Database) -> Void
        /// Resumes the caller: with the write's outcome, or with the commit's error.
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var queue: [Pending] = []
        var committing = false
        var batches = 0
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    private let drainQueue = DispatchQueue(label: "sessions.group-commit")
    /// Told each committed batch's size and commit time (the gateway's metrics).
    private let observer = Mutex<(@Sendable (_ writes: Int, _ duration: Duration) -> Void)?>(nil)

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Calls `observer` after every committed batch.
    func observe(_ observer: @escaping @Sendable (_ writes: Int, _ duration: Duration) -> Void) {
        self.observer.withLock { $0 = observer }
    }

    /// Writes waiting for the next batch, and transactions committed so far (for tests).
    var queued: Int { state.withLock { $0.queue.count } }
    var batches: Int { state.withLock { $0.batches } }

    /// Runs `work` in a savepoint of the next group transaction and returns its value once that transaction is
    /// committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = Mutex<Result<T, any Error>?>(nil)
            let pending = Pending(
                run: { db in
                    let result = Result<T, any Error> {
                        var value: T?
                        try db.inSavepoint {
                            value = try work(db)
                            return .commit
                        }
                        return value!
                    }
                    outcome.withLock { $0 = result }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: outcome.withLock { $0 } ?? .failure(CancellationError()))
                    }
                }
            )
            submit(pending)
        }
    }

    private func submit(_ pending: Pending) {
        let leads = state.withLock { state in
            state.queue.append(pending)
            guard !state.committing else { return false }
            state.committing = true
            return true
        }
        guard leads else { return }
        // An event loop's thread must not wait for the disk: its sockets would stall meanwhile.
        if MultiThreadedEventLoopGroup.currentEventLoop != nil {
            drainQueue.async {
                self.commitQueued()
                self.handOff()
            }
            return
        }
        commitQueued()
        handOff()
    }

    /// After a batch: stops committing when nothing queued up meanwhile, else commits the rest on `drainQueue`.
    private func handOff() {
        let more = state.withLock { state in
            if state.queue.isEmpty { state.committing = false }
            return state.committing
        }
        guard more else { return }
        drainQueue.async {
            self.commitQueued()
            self.handOff()
        }
    }

    /// Commits everything queued now as one transaction and resumes its writers.
    private func commitQueued() {
        let batch = state.withLock { state in
            let batch = state.queue
            state.queue = []
            state.batches += 1
            return batch
        }
        do {
            let started = ContinuousClock.now
            try pool.write { db in
                for pending in batch { pending.run(db) }
            }
            let duration = ContinuousClock.now - started
            for pending in batch { pending.finish(nil) }
            observer.withLock { $0 }?(batch.count, duration)
        } catch {
            for pending in batch { pending.finish(error) }
        }
    }
}
