// Sources/Runtime/Dispatch/DedupeCache.swift - idempotency keys: a retry replays, never re-runs

import Generated
import ProtocolSupport
import Synchronization

/// Upstream's dedupe map (reference/protocol.md §6): keys `agent:<k>`, `chat:<k>`, `send:<k>`, entries live
/// `ttlMs` after their last change, at most `capacity` are kept (oldest finished first), and an
/// entry whose run is still going is never evicted.
final class DedupeCache: Sendable {
    enum State: Sendable {
        /// The run is accepted or running; the first answer is kept for retries.
        case running(first: EncodedJSON)
        /// The run ended; a retry gets exactly this answer.
        case done(ok: Bool, payload: EncodedJSON?, error: ErrorShape?)
    }

    private struct Entry {
        var state: State
        var updatedAt: Int
        var isRunning: Bool { state.isRunning }
    }

    private let entries = Mutex<[String: Entry]>([:])
    let ttlMs: Int
    let capacity: Int

    init(ttlMs: Int = ProtocolLimits.dedupeTtlMs, capacity: Int = ProtocolLimits.dedupeMaxEntries) {
        self.ttlMs = ttlMs
        self.capacity = capacity
    }

    /// The entry for `key` if it is live; otherwise records `running` and returns nil (the caller starts the run).
    func claim(_ key: String, first: EncodedJSON, now: Int) -> State? {
        entries.withLock { entries in
            if let entry = entries[key], now - entry.updatedAt < ttlMs || entry.isRunning { return entry.state }
            entries[key] = Entry(state: .running(first: first), updatedAt: now)
            Self.evict(&entries, now: now, ttlMs: ttlMs, capacity: capacity)
            return nil
        }
    }

    func lookup(_ key: String, now: Int) -> State? {
        entries.withLock { entries in
            guard let entry = entries[key], now - entry.updatedAt < ttlMs || entry.isRunning else { return nil }
            return entry.state
        }
    }

    func finish(_ key: String, ok: Bool, payload: EncodedJSON?, error: ErrorShape?, now: Int) {
        entries.withLock { entries in
            entries[key] = Entry(state: .done(ok: ok, payload: payload, error: error), updatedAt: now)
            Self.evict(&entries, now: now, ttlMs: ttlMs, capacity: capacity)
        }
    }

    /// Forgets a claim whose run never started (validation failed after the claim).
    func release(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    var count: Int { entries.withLock { $0.count } }

    private static func evict(_ entries: inout [String: Entry], now: Int, ttlMs: Int, capacity: Int) {
        entries = entries.filter { $0.value.isRunning || now - $0.value.updatedAt < ttlMs }
        guard entries.count > capacity else { return }
        let finished = entries.filter { !$0.value.isRunning }.sorted { $0.value.updatedAt < $1.value.updatedAt }
        for (key, _) in finished.prefix(entries.count - capacity) { entries.removeValue(forKey: key) }
    }
}

extension DedupeCache.State {
    var isRunning: Bool {
        if case .running = self { return true }
        return false
    }
}
