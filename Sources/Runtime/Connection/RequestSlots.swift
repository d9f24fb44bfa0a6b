// Sources/Runtime/Connection/RequestSlots.swift - how many requests one socket has unanswered

import Synchronization

/// Bounds the requests a socket has in flight. Each request runs as its own task on the socket's
/// event loop, so without a bound one client pipelining thousands of heavy calls fills that loop and
/// every other socket on it (even `/health`) waits behind them.
final class RequestSlots: Sendable {
    private let used = Atomic<Int>(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; false when all `limit` are in use.
    func acquire() -> Bool {
        var current = used.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = used.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release() {
        used.subtract(1, ordering: .acquiringAndReleasing)
    }
}
