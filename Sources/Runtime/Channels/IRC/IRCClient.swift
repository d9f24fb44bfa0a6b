// Sources/Runtime/Channels/IRC/IRCClient.swift - one IRC account: connect, stay connected, send

import Logging
import NIOCore
import Synchronization

/// An IRC client for one account that stays connected until stopped.
///
/// `run()` connects, registers, joins, and reconnects with exponential backoff whenever the
/// connection ends; `stop()` sends QUIT and ends `run()`. Outbound text goes through `send`, which
/// splits it into lines that fit 512 bytes and queues them behind a token bucket (flood control).
/// Inbound messages and connection changes arrive on `events` (one consumer).
public final class IRCClient: Sendable {
    public let options: IRCClientOptions
    public let events: AsyncStream<IRCClientEvent>
    let eventSink: AsyncStream<IRCClientEvent>.Continuation
    let logger: Logger
    let state: Mutex<State>

    struct State {
        var status = IRCClientStatus()
        var stopping = false
        var bucket: IRCTokenBucket
        /// The flood-controlled queue of the current connection.
        var queue: AsyncStream<String>.Continuation?
        /// Writes that bypass the queue (PONG, registration, QUIT).
        var direct: NIOAsyncChannelOutboundWriter<ByteBuffer>?
        var channel: (any Channel)?
        var registered = false
        /// `:nick!user@host ` as the server relays our lines, learned from our own JOIN echo.
        var sourcePrefixBytes: Int?
        var sleeper: Task<Void, any Error>?
    }

    public init(options: IRCClientOptions, logger: Logger = Logger(label: "irc")) {
        self.options = options
        self.logger = logger
        (events, eventSink) = AsyncStream.makeStream(of: IRCClientEvent.self, bufferingPolicy: .bufferingNewest(1024))
        state = Mutex(State(bucket: IRCTokenBucket(burst: options.floodBurst, interval: options.floodInterval)))
    }

    public var status: IRCClientStatus { state.withLock { $0.status } }

    /// Connects and reconnects until `stop()` or cancellation of the calling task.
    public func run() async {
        state.withLock { $0.status.running = true }
        var backoff = ChannelBackoff(initial: options.reconnectMinimum, maximum: options.reconnectMaximum)
        await withTaskCancellationHandler {
            while !state.withLock({ $0.stopping }) && !Task.isCancelled {
                let reason: String
                do {
                    let registered = try await session()
                    if registered { backoff.reset() }
                    reason = state.withLock { $0.status.lastError } ?? "connection closed"
                } catch {
                    reason = "\(error)"
                    state.withLock { $0.status.lastError = reason }
                }
                let stopping = state.withLock { $0.stopping }
                let delay = backoff.next()
                eventSink.yield(.disconnected(reason: reason, retryIn: stopping ? nil : delay))
                if stopping || Task.isCancelled { break }
                logger.info("irc: disconnected from \(options.host):\(options.port) (\(reason)); reconnecting in \(delay)")
                let wait = delay
                let sleeper = Task { try await Task.sleep(for: wait) }
                let stoppedMeanwhile = state.withLock { state in
                    state.sleeper = sleeper
                    return state.stopping
                }
                if stoppedMeanwhile { sleeper.cancel() }
                _ = await sleeper.result
            }
        } onCancel: {
            self.beginStopping()?.close(promise: nil)
        }
        state.withLock { $0.status.running = false }
        eventSink.finish()
    }

    /// Sends QUIT, waits (at most 2 s) for the server to close, and makes `run()` return.
    public func stop(reason: String = "Gateway stopping") async {
        guard let channel = beginStopping() else { return }
        let direct = state.withLock { $0.registered ? $0.direct : nil }
        if let direct {
            try? await direct.write(Self.encode("QUIT :\(reason)"))
            channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
        } else {
            channel.close(promise: nil)
        }
        try? await channel.closeFuture.get()
    }

    /// Marks the client stopping, wakes a backoff sleep, and returns the live channel (if any).
    private func beginStopping() -> (any Channel)? {
        let (channel, sleeper) = state.withLock { state in
            state.stopping = true
            return (state.channel, state.sleeper)
        }
        sleeper?.cancel()
        return channel
    }

    /// Queues `text` for `target` (a channel or nick), split into lines that fit; returns the line count.
    @discardableResult
    public func send(_ text: String, to target: String, notice: Bool = false) throws(IRCClientError) -> Int {
        guard !target.isEmpty, !target.contains(where: { $0 == " " || $0 == "," || $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw IRCClientError(description: "invalid IRC target \"\(target)\"")
        }
        let command = notice ? "NOTICE" : "PRIVMSG"
        return try state.withLock { state throws(IRCClientError) -> Int in
            if state.stopping { throw .stopped }
            guard state.registered, let queue = state.queue else { throw .notConnected }
            let prefixBytes = state.sourcePrefixBytes ?? estimatedSourcePrefixBytes(nick: state.status.nick ?? options.nick)
            let budget = IRCTextSplitter.textBudget(command: command, target: target, sourcePrefixBytes: prefixBytes)
            let pieces = IRCTextSplitter.split(text, budget: budget)
            for piece in pieces { queue.yield("\(command) \(target) :\(piece)") }
            return pieces.count
        }
    }

    /// Queues a raw protocol line (flood-controlled); CR/LF are removed.
    func sendRaw(_ line: String) {
        _ = state.withLock { $0.queue?.yield(line) }
    }

    /// `:nick!~user@host ` before we have seen our own hostmask (hosts are at most 63 bytes).
    private func estimatedSourcePrefixBytes(nick: String) -> Int {
        1 + nick.utf8.count + 2 + options.username.utf8.count + 1 + 63 + 1
    }

    /// One wire line: CR, LF and NUL removed, CRLF appended, cut to 512 bytes on a character boundary.
    static func encode(_ line: String) -> ByteBuffer {
        var clean = String(line.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" }.map(Character.init))
        while clean.utf8.count > IRCTextSplitter.lineLimit - 2 { clean.removeLast() }
        return ByteBuffer(string: clean + "\r\n")
    }
}
