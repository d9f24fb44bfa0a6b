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
        /// Queued broadcasts that a newer one of the same event replaces: event name → (index, seq).
        var replaceable: [String: (index: Int, seq: Int)] = [:]
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Queues a frame that is not a broadcast (responses, targeted events).
    @discardableResult
    func enqueue(_ frame: [UInt8]) -> Outcome {
        enqueue(droppable: false, numbered: false) { _ in frame }
    }

    /// Queues a broadcast event, stamping it with this connection's next `seq`.
    ///
    /// With `replacing`, a not-yet-written broadcast of the same event is overwritten in place
    /// (keeping its `seq`): for state events such as `presence` only the latest matters.
    @discardableResult
    func enqueueBroadcast(head: [UInt8], droppable: Bool, replacing event: String? = nil) -> Outcome {
        if let event {
            let replaced = state.withLock { state -> Bool in
                guard !state.closing, !state.finished, let slot = state.replaceable[event], case .frame(let old) = state.items[slot.index] else { return false }
                let frame = FrameWriter.event(head: head, seq: slot.seq)
                state.items[slot.index] = .frame(frame)
                state.bytes += frame.count - old.count
                return true
            }
            if replaced { return .queued }
        }
        return enqueue(droppable: droppable, numbered: true, replaceable: event) { seq in FrameWriter.event(head: head, seq: seq) }
    }

    /// Only broadcasts take a `seq`; responses and targeted events do not.
    private func enqueue(droppable: Bool, numbered: Bool, replaceable: String? = nil, build: (Int) -> [UInt8]) -> Outcome {
        let (outcome, waiter, items): (Outcome, CheckedContinuation<[Item], Never>?, [Item]) = state.withLock { state in
            guard !state.closing, !state.finished else { return (.closed, nil, []) }
            if state.bytes > limit {
                if droppable { return (.dropped, nil, []) }
                return (.overflow, nil, [])
            }
            let frame = build(state.seq + 1)
            if numbered { state.seq += 1 }
            if let replaceable { state.replaceable[replaceable] = (state.items.count, state.seq) }
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
                state.replaceable.removeAll()
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
                        state.replaceable.removeAll()
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
        state.replaceable.removeAll()
        state.bytes = 0
        return (.queued, waiter, items)
    }
}
