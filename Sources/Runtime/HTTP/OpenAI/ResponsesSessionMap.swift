// Sources/Runtime/HTTP/OpenAI/ResponsesSessionMap.swift - which session a `previous_response_id` continues

import Crypto
import Foundation
import Synchronization

/// Remembers, in memory, the session each response ran in, so a later request with
/// `previous_response_id` continues it (reference/http.md §2). Entries live 30 minutes; past 500
/// the oldest go first. A response is only continued by the same caller (a hash of its bearer
/// credential) for the same agent.
final class ResponsesSessionMap: Sendable {
    struct Entry: Sendable, Equatable {
        var sessionKey: String
        var agentId: String
        var subject: String
        var expiresAt: ContinuousClock.Instant
    }

    static let ttl = Duration.seconds(30 * 60)
    static let capacity = 500

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())

    func remember(_ responseId: String, sessionKey: String, agentId: String, subject: String) {
        let now = ContinuousClock.now
        state.withLock { state in
            prune(&state, now: now)
            state.entries[responseId] = Entry(sessionKey: sessionKey, agentId: agentId, subject: subject, expiresAt: now + Self.ttl)
            state.order.append(responseId)
            while state.order.count > Self.capacity { state.entries[state.order.removeFirst()] = nil }
        }
    }

    /// The live entry of `responseId`, or nil when unknown or expired.
    func lookup(_ responseId: String) -> Entry? {
        let now = ContinuousClock.now
        return state.withLock { state in
            prune(&state, now: now)
            return state.entries[responseId]
        }
    }

    private func prune(_ state: inout State, now: ContinuousClock.Instant) {
        // Entries expire in insertion order, so the expired ones are a prefix.
        var drop = 0
        for id in state.order {
            guard let entry = state.entries[id], entry.expiresAt > now else {
                state.entries[id] = nil
                drop += 1
                continue
            }
            break
        }
        if drop > 0 { state.order.removeFirst(drop) }
    }

    /// Who a request comes from, as far as continuity cares: a hash of the bearer credential (never the secret itself).
    static func subject(authorization: String?) -> String {
        let digest = SHA256.hash(data: Data((authorization ?? "").utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}
