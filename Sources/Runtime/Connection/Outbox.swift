// Sources/Runtime/Connection/Outbox.swift - one connection's send queue: seq stamping and the buffer policy

import Generated
import Synchronization

/// Frames waiting for one socket. Broadcasters enqueue without waiting; one writer task drains it.
///
/// The queued bytes stand in for upstream's `bufferedAmount`: past `limit`, a droppable event is
/// skipped (and takes no `seq`), anything else closes the socket with 1008 `slow consumer`.
final class Outbox: Sendable {
    enum Item: Sendable, Equatable {
        case frame([UInt8])
        case close(code: UInt16, reason: String?)
    }

    enum Outcome: Equatable {
        case queued
        case dropped
        case overflow
        case closed
    }

    private struct State {
        var items: [Item] = []
        var bytes = 0
        var seq = 0
        var waiter: CheckedContinuation<[Item], Never>?
        var closing = false
        var finished = false
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Queues a frame that is not a broadcast (responses, targeted events).
    @discardableResult
    func enqueue(_ frame: [UInt8]) -> Outcome {
        enqueue(droppable: false) { _ in frame }
    }

    /// Queues a broadcast event, stamping it with this connection's next `seq`.
    @discardableResult
    func enqueueBroadcast(head: [UInt8], droppable: Bool) -> Outcome {
        enqueue(droppable: droppable) { seq in FrameWriter.event(head: head, seq: seq) }
    }

    private func enqueue(droppable: Bool, build: (Int) -> [UInt8]) -> Outcome {
        let (outcome, waiter, items): (Outcome, CheckedContinuation<[Item], Never>?, [Item]) = state.withLock { state in
            guard !state.closing, !state.finished else { return (.closed, nil, []) }
            if state.bytes > limit {
                if droppable { return (.dropped, nil, []) }
                return (.overflow, nil, [])
            }
            let frame = build(state.seq + 1)
            state.seq += 1
            state.items.append(.frame(frame))
            state.bytes += frame.count
            return takeWaiter(&state)
        }
        waiter?.resume(returning: items)
        return outcome
    }

    /// Queues a close after what is already queued (or instead of it, with `discardPending`).
    func close(code: UInt16, reason: String?, discardPending: Bool = false) {
        let (_, waiter, items) = state.withLock { state -> (Outcome, CheckedContinuation<[Item], Never>?, [Item]) in
            guard !state.closing, !state.finished else { return (.closed, nil, []) }
            state.closing = true
            if discardPending {
                state.items.removeAll()
                state.bytes = 0
            }
            state.items.append(.close(code: code, reason: reason))
            return takeWaiter(&state)
        }
        waiter?.resume(returning: items)
    }

    /// Ends the queue; the writer's next call returns nothing.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[Item], Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: [])
    }

    var isClosing: Bool { state.withLock { $0.closing || $0.finished } }

    /// Everything queued, waiting when empty; an empty result means the queue finished.
    func next() async -> [Item] {
        await withCheckedContinuation { continuation in
            let items: [Item]? = state.withLock { state in
                if !state.items.isEmpty {
                    defer {
                        state.items.removeAll(keepingCapacity: true)
                        state.bytes = 0
                    }
                    return state.items
                }
                if state.finished { return [] }
                state.waiter = continuation
                return nil
            }
            if let items { continuation.resume(returning: items) }
        }
    }

    private func takeWaiter(_ state: inout State) -> (Outcome, CheckedContinuation<[Item], Never>?, [Item]) {
        guard let waiter = state.waiter else { return (.queued, nil, []) }
        state.waiter = nil
        let items = state.items
        state.items.removeAll(keepingCapacity: true)
        state.bytes = 0
        return (.queued, waiter, items)
    }
}
