// Tests/CLITests/Support/CDPClient.swift - a minimal Chrome DevTools Protocol client over Chromium's debugging pipe

import Foundation
import Generated
import Runtime
import Synchronization

/// Sends CDP commands (`{id, method, params, sessionId}`) and matches the answers; events are dropped
/// except those a caller waits for with `expectEvent(_:)`.
///
/// The transport is `--remote-debugging-pipe` (JSON messages separated by NUL on the browser's fd 3/4)
/// rather than the DevTools WebSocket: swift-websocket's client upgrader declines Chromium's handshake
/// answer ("WebSocket upgrade failed"), and a pipe needs no port either.
final class CDPClient: Sendable {
    private struct State {
        var nextId = 1
        var pending: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
        var eventWaiters: [(method: String, continuation: AsyncThrowingStream<JSONValue, any Error>.Continuation)] = []
        var ended: String?
        var buffer = Data()
    }

    private let state = Mutex(State())
    private let toBrowser: FileHandle
    private let writeLock = Mutex(())

    /// `toBrowser` is the browser's fd 3, `fromBrowser` its fd 4.
    init(toBrowser: FileHandle, fromBrowser: FileHandle) {
        self.toBrowser = toBrowser
        PipeReader.drain(
            fromBrowser, onChunk: { [weak self] in self?.receive($0) },
            onEnd: { [weak self] in
                self?.end("the browser closed its DevTools pipe")
            })
    }

    /// Sends one command and returns its `result` (throws with CDP's error message).
    @discardableResult
    func send(_ method: String, _ params: JSONValue = [:], session: String? = nil) async throws -> JSONValue {
        try await withCheckedThrowingContinuation { continuation in
            let (id, ended) = state.withLock { state -> (Int, String?) in
                let id = state.nextId
                state.nextId += 1
                if state.ended == nil { state.pending[id] = continuation }
                return (id, state.ended)
            }
            if let ended { return continuation.resume(throwing: CDPError(ended)) }
            var frame: [String: JSONValue] = ["id": .int(id), "method": .string(method), "params": params]
            if let session { frame["sessionId"] = .string(session) }
            var bytes = Data(JSONValue.object(frame).text.utf8)
            bytes.append(0)
            do {
                try writeLock.withLock { _ in try toBrowser.write(contentsOf: bytes) }
            } catch {
                if let waiter = state.withLock({ $0.pending.removeValue(forKey: id) }) { waiter.resume(throwing: error) }
            }
        }
    }

    /// The next event named `method` after this call (registered at once, so nothing is missed).
    func expectEvent(_ method: String) -> AsyncThrowingStream<JSONValue, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: JSONValue.self)
        let ended = state.withLock { state -> String? in
            if state.ended == nil { state.eventWaiters.append((method, continuation)) }
            return state.ended
        }
        if let ended { continuation.finish(throwing: CDPError(ended)) }
        return stream
    }

    private func receive(_ data: Data) {
        let messages = state.withLock { state -> [Data] in
            state.buffer.append(data)
            var messages: [Data] = []
            while let end = state.buffer.firstIndex(of: 0) {
                messages.append(state.buffer[state.buffer.startIndex..<end])
                state.buffer.removeSubrange(state.buffer.startIndex...end)
            }
            return messages
        }
        for message in messages { deliver(message) }
    }

    private func deliver(_ message: Data) {
        guard let frame = try? JSONDecoder().decode(JSONValue.self, from: message) else { return }
        if let id = frame["id"]?.intValue {
            guard let waiter = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return }
            if let error = frame["error"] {
                waiter.resume(throwing: CDPError(error["message"]?.stringValue ?? error.text))
            } else {
                waiter.resume(returning: frame["result"] ?? [:])
            }
        } else if let method = frame["method"]?.stringValue {
            let waiters = state.withLock { state -> [AsyncThrowingStream<JSONValue, any Error>.Continuation] in
                let matching = state.eventWaiters.filter { $0.method == method }.map(\.continuation)
                state.eventWaiters.removeAll { $0.method == method }
                return matching
            }
            for waiter in waiters {
                waiter.yield(frame["params"] ?? [:])
                waiter.finish()
            }
        }
    }

    /// Fails everything still waiting; later sends fail at once.
    func end(_ reason: String) {
        let (pending, waiters) = state.withLock { state in
            state.ended = state.ended ?? reason
            defer {
                state.pending = [:]
                state.eventWaiters = []
            }
            return (Array(state.pending.values), state.eventWaiters.map(\.continuation))
        }
        for waiter in pending { waiter.resume(throwing: CDPError(reason)) }
        for waiter in waiters { waiter.finish(throwing: CDPError(reason)) }
    }
}

struct CDPError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
