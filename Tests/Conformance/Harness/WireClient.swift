// Tests/Conformance/Harness/WireClient.swift - a raw WebSocket peer that sends exactly what a case says

import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// What arrives from the gateway: a text message, or the close that ended the socket.
enum WireEvent: Sendable, Equatable {
    case text(String)
    case closed(code: UInt16?, reason: String?)
}

/// A WebSocket client with no protocol logic: tests drive the wire directly.
final class WireClient: Sendable {
    private let outbound = Mutex<WebSocketOutboundWriter?>(nil)
    private let queue = FrameQueue()
    private let task = Mutex<Task<Void, Never>?>(nil)

    struct Timeout: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(what)" }
    }

    private init() {}

    /// Opens a socket; returns once the upgrade completed (or throws when it cannot).
    static func connect(_ url: String, timeout: Duration = .seconds(5)) async throws -> WireClient {
        let client = WireClient()
        let (opened, openedSink) = AsyncStream<Result<Void, any Error>>.makeStream()
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = 64 << 20
        configuration.closeTimeout = .seconds(2)
        configuration.validateUTF8 = false
        let sink = client.queue
        let task = Task {
            do {
                let close = try await WebSocketClient.connect(url: url, configuration: configuration, logger: Logger(label: "wire")) { inbound, outbound, _ in
                    client.outbound.withLock { $0 = outbound }
                    openedSink.yield(.success(()))
                    do {
                        for try await message in inbound.messages(maxSize: 64 << 20) {
                            switch message {
                            case .text(let text): sink.push(.text(text))
                            case .binary(let buffer): sink.push(.text(String(buffer: buffer)))
                            }
                        }
                    } catch {}
                }
                sink.push(.closed(code: close.map { UInt16(webSocketErrorCode: $0.closeCode) }, reason: close?.reason))
            } catch {
                openedSink.yield(.failure(error))
                sink.push(.closed(code: nil, reason: "\(error)"))
            }
            openedSink.finish()
        }
        client.task.withLock { $0 = task }
        let first = try await withTimeout(timeout, "the WebSocket upgrade") {
            var iterator = opened.makeAsyncIterator()
            return await iterator.next()
        }
        if case .failure(let error)? = first { throw error }
        return client
    }

    func send(_ text: String) async throws {
        try await outbound.withLock { $0 }?.write(.text(text))
    }

    func sendBinary(_ bytes: [UInt8]) async throws {
        try await outbound.withLock { $0 }?.write(.binary(ByteBuffer(bytes: bytes)))
    }

    /// One frame as given: a fragment (`fin` false), a continuation, anything the API above would not split.
    func sendFrame(fin: Bool, opcode: WebSocketOpcode, _ bytes: [UInt8]) async throws {
        try await outbound.withLock { $0 }?.write(.custom(WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(bytes: bytes))))
    }

    func sendJSON(_ object: [String: Any]) async throws {
        let data = try JSONSerialization.data(withJSONObject: object)
        try await send(String(decoding: data, as: UTF8.self))
    }

    /// The next message or close, waiting at most `timeout`.
    func next(timeout: Duration = .seconds(20)) async throws -> WireEvent {
        guard let event = await queue.pop(timeout: timeout) else { throw Timeout(what: "a frame") }
        return event
    }

    /// The next text frame decoded as a JSON object (closes are returned as nil).
    func nextObject(timeout: Duration = .seconds(20)) async throws -> [String: Any]? {
        switch try await next(timeout: timeout) {
        case .text(let text):
            return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        case .closed:
            return nil
        }
    }

    /// Waits for the socket to close, skipping frames; returns the close code and reason.
    func waitForClose(timeout: Duration = .seconds(20)) async throws -> (code: UInt16?, reason: String?) {
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw Timeout(what: "close") }
            if case .closed(let code, let reason) = try await next(timeout: remaining) { return (code, reason) }
        }
    }

    func close() async {
        try? await outbound.withLock { $0 }?.close(.normalClosure, reason: nil)
        let task = self.task.withLock { $0 }
        task?.cancel()
        await task?.value
    }
}

/// Runs `body`, failing with `Timeout` after `timeout`.
func withTimeout<T: Sendable>(_ timeout: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw WireClient.Timeout(what: what) }
        return value
    }
}

/// Frames received and not yet read; a reader waits (with a deadline) when it is empty.
final class FrameQueue: Sendable {
    private struct State {
        var items: [WireEvent] = []
        var waiter: (id: Int, continuation: CheckedContinuation<WireEvent?, Never>)?
        var nextWaiter = 0
        /// Deadlines that passed before their reader started waiting.
        var expired: Set<Int> = []
    }

    private let state = Mutex(State())

    func push(_ event: WireEvent) {
        let waiter = state.withLock { state -> CheckedContinuation<WireEvent?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.items.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// The next event, or nil when none arrives within `timeout`.
    func pop(timeout: Duration) async -> WireEvent? {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            let waiter = state.withLock { state -> CheckedContinuation<WireEvent?, Never>? in
                guard let waiter = state.waiter, waiter.id == id else {
                    state.expired.insert(id)
                    return nil
                }
                state.waiter = nil
                return waiter.continuation
            }
            waiter?.resume(returning: nil)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> WireEvent?? in
                if !state.items.isEmpty { return .some(state.items.removeFirst()) }
                if state.expired.remove(id) != nil { return .some(nil) }
                state.waiter = (id, continuation)
                return .none
            }
            if case .some(let event) = ready { continuation.resume(returning: event) }
        }
    }
}
