// Tests/Conformance/Harness/RawSocket.swift - a TCP client that sends exactly the bytes a test gives and records what comes back

import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A plain TCP socket to the gateway, for what no HTTP or WebSocket client would send: silence, half a
/// request head, a short body, hand-made WebSocket frames. Everything received is kept; `closed()` and
/// `received(until:)` wake on the bytes or the close themselves (no polling).
final class RawSocket: Sendable {
    private struct State {
        var bytes: [UInt8] = []
        var closed = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let state = Mutex(State())
    private let reader = Mutex<Task<Void, Never>?>(nil)

    struct Failsafe: Error, CustomStringConvertible {
        var what: String
        var received: String
        var description: String { "timed out waiting for \(what); received so far: \(received.prefix(300))" }
    }

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
    }

    private func startReading() {
        let inbound = channel.inbound
        let task = Task { [self] in
            do {
                for try await buffer in inbound {
                    let waiters = state.withLock { state in
                        state.bytes += buffer.readableBytesView
                        defer { state.waiters = [:] }
                        return Array(state.waiters.values)
                    }
                    for waiter in waiters { waiter.resume() }
                }
            } catch {}
            channel.outbound.finish()
            let waiters = state.withLock { state in
                state.closed = true
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            for waiter in waiters { waiter.resume() }
        }
        reader.withLock { $0 = task }
    }

    /// Connects to `127.0.0.1:port`.
    static func connect(port: Int) async throws -> RawSocket {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let socket = RawSocket(channel: channel)
        socket.startReading()
        return socket
    }

    /// The port of a `ws://127.0.0.1:PORT` URL.
    static func port(of url: String) -> Int { URLComponents(string: url)?.port ?? 0 }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.outbound.write(ByteBuffer(bytes: bytes))
    }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    /// Everything received so far.
    var bytes: [UInt8] { state.withLock { $0.bytes } }
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Waits until the server closes the socket; throws when `failsafe` passes first.
    func closed(failsafe: Duration = .seconds(30)) async throws {
        try await wait(failsafe: failsafe, for: "the server to close the socket") { $0.closed }
    }

    /// Waits until what was received satisfies `predicate` (or the socket closed).
    func received(failsafe: Duration = .seconds(30), until predicate: @escaping @Sendable ([UInt8]) -> Bool) async throws {
        try await wait(failsafe: failsafe, for: "data from the server") { predicate($0.bytes) || $0.closed }
    }

    private func wait(failsafe: Duration, for what: String, _ done: @escaping @Sendable (State) -> Bool) async throws {
        let deadline = ContinuousClock.now + failsafe
        let timer = Task { [self] in
            try? await Task.sleep(until: deadline)
            let waiters = state.withLock { state in
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            for waiter in waiters { waiter.resume() }
        }
        defer { timer.cancel() }
        try await withTaskCancellationHandler {
            while true {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { state -> Bool in
                        if done(state) || ContinuousClock.now >= deadline || Task.isCancelled { return true }
                        state.nextWaiter += 1
                        state.waiters[state.nextWaiter] = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
                if state.withLock({ done($0) }) { return }
                try Task.checkCancellation()
                if ContinuousClock.now >= deadline { throw Failsafe(what: what, received: text) }
            }
        } onCancel: {
            wakeAll()
        }
    }

    private func wakeAll() {
        let waiters = state.withLock { state in
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    func close() async {
        channel.outbound.finish()
        try? await channel.channel.close()
        await reader.withLock { $0 }?.value
    }
}
