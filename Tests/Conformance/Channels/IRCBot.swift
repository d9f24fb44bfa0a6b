// Tests/Conformance/Channels/IRCBot.swift - the IRCClient under test, running, with its events recorded

import Foundation
import Runtime
import Synchronization

/// Runs an `IRCClient` and records its events so a test can wait for one (with a timeout).
final class IRCBot: Sendable {
    let client: IRCClient
    private let runner: Task<Void, Never>
    private let collector: Task<Void, Never>
    private let box: InboxBox

    private final class InboxBox: Sendable {
        let value = Mutex(Inbox())
    }

    private struct Inbox {
        var events: [IRCClientEvent] = []
        var cursor = 0
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?

        mutating func wake() {
            waiter?.resume()
            waiter = nil
        }
    }

    init(_ options: IRCClientOptions) {
        let client = IRCClient(options: options)
        let box = InboxBox()
        self.client = client
        self.box = box
        runner = Task { await client.run() }
        collector = Task {
            for await event in client.events {
                box.value.withLock { inbox in
                    inbox.events.append(event)
                    inbox.wake()
                }
            }
            box.value.withLock { inbox in
                inbox.finished = true
                inbox.wake()
            }
        }
    }

    /// Test options: plain TCP on loopback, fast flood control and reconnects.
    static func options(port: Int, nick: String = "clawbot", channels: [String] = ["#room"]) -> IRCClientOptions {
        var options = IRCClientOptions(host: "127.0.0.1", port: port, tls: false, nick: nick)
        options.channels = channels
        options.floodBurst = 20
        options.floodInterval = .milliseconds(50)
        options.reconnectMinimum = .milliseconds(200)
        options.reconnectMaximum = .seconds(1)
        return options
    }

    /// The next event matching `predicate` (earlier events are consumed), or a timeout error.
    @discardableResult
    func waitFor(timeout: Duration = .seconds(20), _ predicate: @Sendable (IRCClientEvent) -> Bool) async throws -> IRCClientEvent {
        let deadline = ContinuousClock.now + timeout
        let timer = Task {
            try? await Task.sleep(until: deadline)
            box.value.withLock { $0.wake() }
        }
        defer { timer.cancel() }
        while true {
            let (match, finished) = box.value.withLock { inbox -> (IRCClientEvent?, Bool) in
                while inbox.cursor < inbox.events.count {
                    let event = inbox.events[inbox.cursor]
                    inbox.cursor += 1
                    if predicate(event) { return (event, false) }
                }
                return (nil, inbox.finished)
            }
            if let match { return match }
            if finished || ContinuousClock.now >= deadline {
                throw IRCServerError(message: "bot: \(finished ? "client finished" : "timed out") waiting for an event")
            }
            await withCheckedContinuation { continuation in
                box.value.withLock { inbox in
                    if inbox.cursor < inbox.events.count || inbox.finished || ContinuousClock.now >= deadline {
                        continuation.resume()
                    } else {
                        inbox.waiter = continuation
                    }
                }
            }
        }
    }

    func waitRegistered() async throws -> String {
        let event = try await waitFor { if case .registered = $0 { true } else { false } }
        guard case .registered(let nick) = event else { return "" }
        return nick
    }

    func waitJoined(_ channel: String) async throws {
        try await waitFor { if case .joined(channel) = $0 { true } else { false } }
    }

    func waitMessage(_ predicate: @Sendable @escaping (IRCIncomingMessage) -> Bool = { _ in true }) async throws -> IRCIncomingMessage {
        let event = try await waitFor { if case .message(let message) = $0 { predicate(message) } else { false } }
        guard case .message(let message) = event else { fatalError() }
        return message
    }

    /// QUIT, then wait for the client's loop and event stream to end.
    func stop() async {
        await client.stop()
        await runner.value
        await collector.value
    }
}
