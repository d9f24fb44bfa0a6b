// Tests/Conformance/Channels/IRCTestClient.swift - a plain IRC user for the tests, on a raw socket

import Foundation
import NIOCore
import NIOPosix
import Runtime
import Synchronization

/// A human-like IRC client: registers, joins, talks, and records every line exactly as received
/// (bytes counted with their CRLF) so tests can check the 512-byte limit on the wire.
final class IRCTestClient: Sendable {
    let nick: String
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let writer = Mutex<NIOAsyncChannelOutboundWriter<ByteBuffer>?>(nil)
    private let inbox = Mutex(Inbox())
    private let reader = Mutex<Task<Void, Never>?>(nil)

    struct RawLine: Sendable {
        /// Bytes on the wire, CRLF included.
        var byteCount: Int
        var message: IRCMessage
    }

    private struct Inbox {
        var lines: [RawLine] = []
        var cursor = 0
        var closed = false
        /// Why the read loop ended (the error, or end of stream), for failure messages.
        var closeReason = ""
        var waiter: CheckedContinuation<Void, Never>?

        mutating func wake() {
            waiter?.resume()
            waiter = nil
        }
    }

    private init(nick: String, channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.nick = nick
        self.channel = channel
    }

    private func read(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async {
        var pending: [UInt8] = []
        do {
            for try await buffer in inbound {
                pending += buffer.readableBytesView
                while let newline = pending.firstIndex(of: 0x0A) {
                    let raw = Array(pending[..<newline])
                    pending.removeSubrange(...newline)
                    let text = String(decoding: raw.last == 0x0D ? raw.dropLast() : raw[...], as: UTF8.self)
                    guard let message = IRCMessage.parse(text) else { continue }
                    if message.command == "PING" {
                        try? await send("PONG :\(message.params.last ?? "")")
                    }
                    inbox.withLock { inbox in
                        inbox.lines.append(RawLine(byteCount: raw.count + 1, message: message))
                        inbox.wake()
                    }
                }
            }
            inbox.withLock { $0.closeReason = "end of stream" }
        } catch {
            inbox.withLock { $0.closeReason = "\(error)" }
        }
        inbox.withLock { inbox in
            inbox.closed = true
            inbox.wake()
        }
    }

    /// Connects and registers as `nick` (waits for 001).
    static func connect(port: Int, nick: String) async throws -> IRCTestClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let client = IRCTestClient(nick: nick, channel: channel)
        let (ready, readySink) = AsyncStream.makeStream(of: NIOAsyncChannelOutboundWriter<ByteBuffer>.self)
        client.reader.withLock { reader in
            reader = Task {
                try? await channel.executeThenClose { inbound, outbound in
                    readySink.yield(outbound)
                    readySink.finish()
                    await client.read(inbound)
                }
                readySink.finish()
            }
        }
        var readyIterator = ready.makeAsyncIterator()
        guard let outbound = await readyIterator.next() else { throw IRCServerError(message: "\(nick): connection failed") }
        client.writer.withLock { $0 = outbound }
        try await client.send("NICK \(nick)")
        try await client.send("USER \(nick) 0 * :test user")
        try await client.waitFor { $0.command == "001" }
        return client
    }

    func send(_ line: String) async throws {
        guard let writer = writer.withLock({ $0 }) else { return }
        try await writer.write(ByteBuffer(string: line + "\r\n"))
    }

    /// Joins and waits for the server's confirmation.
    func join(_ name: String) async throws {
        try await send("JOIN \(name)")
        try await waitFor { $0.command == "JOIN" && $0.sourceNick == self.nick }
    }

    /// The next line matching `predicate` (the lines before it are consumed), or a timeout error.
    @discardableResult
    func waitFor(timeout: Duration = .seconds(20), _ predicate: @Sendable (IRCMessage) -> Bool) async throws -> IRCMessage {
        try await waitForLine(timeout: timeout) { predicate($0.message) }.message
    }

    func waitForLine(timeout: Duration = .seconds(20), _ predicate: @Sendable (RawLine) -> Bool) async throws -> RawLine {
        let deadline = ContinuousClock.now + timeout
        let timer = Task {
            try? await Task.sleep(until: deadline)
            inbox.withLock { $0.wake() }
        }
        defer { timer.cancel() }
        while true {
            let (match, closed, reason) = inbox.withLock { inbox -> (RawLine?, Bool, String) in
                while inbox.cursor < inbox.lines.count {
                    let line = inbox.lines[inbox.cursor]
                    inbox.cursor += 1
                    if predicate(line) { return (line, false, "") }
                }
                return (nil, inbox.closed, inbox.closeReason)
            }
            if let match { return match }
            if closed || ContinuousClock.now >= deadline {
                let last = inbox.withLock { $0.lines.suffix(3).map { $0.message.command + " " + $0.message.params.joined(separator: " ") } }
                throw IRCServerError(
                    message: "\(nick): \(closed ? "connection closed (\(reason))" : "timed out") waiting for a matching IRC line; last lines: \(last)")
            }
            await withCheckedContinuation { continuation in
                inbox.withLock { inbox in
                    if inbox.cursor < inbox.lines.count || inbox.closed || ContinuousClock.now >= deadline {
                        continuation.resume()
                    } else {
                        inbox.waiter = continuation
                    }
                }
            }
        }
    }

    func quit() async {
        try? await send("QUIT :bye")
        channel.channel.eventLoop.scheduleTask(in: .seconds(2)) { [channel] in channel.channel.close(promise: nil) }
        let task = reader.withLock { $0 }
        await task?.value
    }
}
