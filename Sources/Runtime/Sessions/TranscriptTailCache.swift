// Sources/Runtime/Sessions/TranscriptTailCache.swift - the newest messages of busy transcripts, kept decoded

import Synchronization

/// Every run rebuilds its conversation from the transcript; decoding up to 200 stored messages per
/// run was a quarter of the gateway's CPU in the bench. Transcripts only grow (a reset starts a new
/// `sessionId`), so a copy of each recently used transcript's tail stays valid: committed appends
/// extend it (in `seq` order, once each), deletes drop everything, and a database read only fills
/// the cache when no append to that transcript happened since the read began.
final class TranscriptTailCache: Sendable {
    private struct Tail {
        var records: [TranscriptRecord]
        /// The tail holds the whole transcript (no older messages in the database).
        var complete: Bool
        var usedAt: UInt64
    }

    static let perTranscript = 256
    static let transcripts = 128

    private struct State {
        var entries: [String: Tail] = [:]
        /// Appends seen per transcript, so a read that raced an append does not overwrite it.
        var generations: [String: UInt64] = [:]
        var clock: UInt64 = 0
    }

    private let tails = Mutex(State())

    /// Take before reading the database; pass to `store`.
    func generation(of sessionId: String) -> UInt64 {
        tails.withLock { $0.generations[sessionId] ?? 0 }
    }

    /// The last `limit` messages (all when nil), if the cached tail covers them.
    func read(sessionId: String, limit: Int?) -> [TranscriptRecord]? {
        tails.withLock { state in
            guard var tail = state.entries[sessionId] else { return nil }
            let covered = limit.map { $0 <= tail.records.count } ?? false
            guard covered || tail.complete else { return nil }
            state.clock += 1
            tail.usedAt = state.clock
            state.entries[sessionId] = tail
            return limit.map { Array(tail.records.suffix(max($0, 0))) } ?? tail.records
        }
    }

    /// Remembers what a database read returned (`limit` is what it asked for).
    func store(sessionId: String, records: [TranscriptRecord], limit: Int?, generation: UInt64) {
        let complete = limit.map { records.count < $0 } ?? true
        tails.withLock { state in
            guard (state.generations[sessionId] ?? 0) == generation else { return }
            state.clock += 1
            let trimmed = Array(records.suffix(Self.perTranscript))
            state.entries[sessionId] = Tail(records: trimmed, complete: complete && trimmed.count == records.count, usedAt: state.clock)
            if state.entries.count > Self.transcripts, let oldest = state.entries.min(by: { $0.value.usedAt < $1.value.usedAt })?.key {
                state.entries.removeValue(forKey: oldest)
            }
        }
    }

    /// A message was committed. Concurrent appends may report out of order; `seq` puts them right.
    func appended(_ record: TranscriptRecord) {
        tails.withLock { state in
            state.generations[record.sessionId, default: 0] += 1
            guard var tail = state.entries[record.sessionId], !tail.records.contains(where: { $0.seq == record.seq }) else { return }
            let index = tail.records.lastIndex { $0.seq < record.seq }.map { $0 + 1 } ?? 0
            tail.records.insert(record, at: index)
            if tail.records.count > Self.perTranscript {
                tail.records.removeFirst(tail.records.count - Self.perTranscript)
                tail.complete = false
            }
            state.entries[record.sessionId] = tail
        }
    }

    /// Forgets one transcript's tail (its order changed); a read racing this will not store.
    func invalidate(sessionId: String) {
        tails.withLock { state in
            state.entries.removeValue(forKey: sessionId)
            state.generations[sessionId, default: 0] += 1
        }
    }

    func removeAll() {
        tails.withLock { state in
            state.entries.removeAll()
            state.generations.removeAll()
        }
    }
}
