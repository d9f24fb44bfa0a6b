// Sources/Runtime/Server/HTTPGuard/PendingConnections.swift - sockets per client IP that have not sent a request head yet

import Synchronization

/// Counts, per client IP, the sockets still waiting for their first request's headers. A client that
/// opens sockets and never completes a request (slowloris) is what exhausts file descriptors; one that
/// sends requests is bounded by the timeouts instead, so only the first phase is counted.
final class PendingConnections: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    let limit: Int

    /// - Parameter limit: sockets allowed per address; 0 means no limit.
    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot for `address`; false when it already holds `limit` pending sockets.
    func acquire(_ address: String) -> Bool {
        guard limit > 0 else { return true }
        return counts.withLock { counts in
            let current = counts[address, default: 0]
            guard current < limit else { return false }
            counts[address] = current + 1
            return true
        }
    }

    /// Gives back a slot taken by `acquire`.
    func release(_ address: String) {
        guard limit > 0 else { return }
        counts.withLock { counts in
            let current = counts[address, default: 0]
            if current <= 1 { counts[address] = nil } else { counts[address] = current - 1 }
        }
    }
}
