// Sources/Runtime/Agents/SystemEvents.swift - events waiting for a session's next run (POST /hooks/wake)

import Synchronization

/// Upstream's system-event queue: `POST <hooks.path>/wake` queues a line for the default agent's
/// main session, and that session's next run sees it as `System: <text>` before the user's
/// message. The same text twice in a row is coalesced; at most `limit` events wait per session
/// (the oldest go first). Memory only.
///
/// `wake`, `POST /hooks/wake` and cron's main-session jobs queue here; with `mode: "now"` they
/// also start a heartbeat, whose turn drains the queue.
final class SystemEvents: Sendable {
    enum Outcome: String, Sendable {
        case queued, coalesced
    }

    static let limit = 20

    private let queues = Mutex<[String: [String]]>([:])

    func enqueue(_ text: String, sessionKey: String) -> Outcome {
        queues.withLock { queues in
            var queue = queues[sessionKey] ?? []
            if queue.last == text { return .coalesced }
            queue.append(text)
            if queue.count > Self.limit { queue.removeFirst(queue.count - Self.limit) }
            queues[sessionKey] = queue
            return .queued
        }
    }

    /// Whether events wait for the session's next run.
    func hasPending(sessionKey: String) -> Bool {
        queues.withLock { !($0[sessionKey] ?? []).isEmpty }
    }

    /// `message` with the session's waiting events before it; the queue is emptied.
    func drain(into message: String, sessionKey: String) -> String {
        let events = queues.withLock { $0.removeValue(forKey: sessionKey) ?? [] }
        guard !events.isEmpty else { return message }
        return (events.map { "System: \($0)" } + ["", message]).joined(separator: "\n")
    }
}
