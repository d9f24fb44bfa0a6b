// Sources/Runtime/Channels/IRC/IRCClient+Session.swift - one connection: register, read, answer, write

import Foundation
import NIOCore

extension IRCClient {
    /// Runs one connection to its end; returns whether registration succeeded (to reset the backoff).
    func session() async throws -> Bool {
        let connection = try await connect()
        let (queue, queueSink) = AsyncStream.makeStream(of: String.self)
        let connectedAt = ContinuousClock.now
        var session = Session(nick: options.nick)
        try await connection.executeThenClose { inbound, outbound in
            let stopping = state.withLock { state in
                state.channel = connection.channel
                state.direct = outbound
                state.queue = queueSink
                state.registered = false
                state.sourcePrefixBytes = nil
                state.status.lastInboundAt = connectedAt
                // Errors describe this connection (the gateway's status keeps the history).
                state.status.lastError = nil
                return state.stopping
            }
            if stopping { return }
            defer {
                queueSink.finish()
                state.withLock { state in
                    state.channel = nil
                    state.direct = nil
                    state.queue = nil
                    state.registered = false
                    state.status.connected = false
                    state.status.joinedChannels = []
                }
            }
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.writeQueued(queue, to: outbound) }
                group.addTask { try await self.watch(connection.channel, outbound: outbound, connectedAt: connectedAt) }
                // A failed write (e.g. the TLS handshake failed) surfaces with its real cause from `inbound` below.
                if !options.password.isEmpty { try? await outbound.write(Self.encode("PASS \(options.password)")) }
                try? await outbound.write(Self.encode("NICK \(session.nick)"))
                try? await outbound.write(Self.encode("USER \(options.username) 0 * :\(options.realname)"))
                do {
                    for try await line in inbound {
                        state.withLock { $0.status.lastInboundAt = .now }
                        guard let message = IRCMessage.parse(line) else { continue }
                        try await handle(message, session: &session, outbound: outbound)
                    }
                } catch {
                    state.withLock { $0.status.lastError = $0.status.lastError ?? "\(error)" }
                }
                group.cancelAll()
            }
        }
        return session.registered
    }

    /// Per-connection protocol state the read loop owns.
    struct Session {
        var nick: String
        var registered = false
        /// 433s answered so far (each appends one `_`).
        var collisions = 0
    }

    /// Drains the flood-controlled queue onto the socket.
    private func writeQueued(_ queue: AsyncStream<String>, to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        for await line in queue {
            let wait = state.withLock { $0.bucket.take() }
            if wait > .zero { try await Task.sleep(for: wait) }
            try await outbound.write(Self.encode(line))
            state.withLock { $0.status.lastOutboundAt = .now }
        }
    }

    /// Registration timeout and keep-alive: PING after `keepAlive` of silence, drop after twice that.
    private func watch(_ channel: any Channel, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, connectedAt: ContinuousClock.Instant) async throws {
        let tick = min(options.keepAlive / 4, .seconds(1))
        var pinged = false
        while true {
            try await Task.sleep(for: tick)
            let (registered, lastInbound) = state.withLock { ($0.registered, $0.status.lastInboundAt ?? connectedAt) }
            let idle = ContinuousClock.now - lastInbound
            if !registered && ContinuousClock.now - connectedAt > options.registrationTimeout {
                fail(channel, "registration timed out")
                return
            }
            if idle > options.keepAlive * 2 {
                fail(channel, "ping timeout")
                return
            }
            if idle > options.keepAlive {
                if !pinged {
                    pinged = true
                    try await outbound.write(Self.encode("PING :openclaw"))
                }
            } else {
                pinged = false
            }
        }
    }

    private func fail(_ channel: any Channel, _ reason: String) {
        state.withLock { $0.status.lastError = reason }
        channel.close(promise: nil)
    }

    private func handle(_ message: IRCMessage, session: inout Session, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        switch message.command {
        case "PING":
            try await outbound.write(Self.encode(IRCMessage(command: "PONG", params: message.params).serialized))
            eventSink.yield(.pinged)
        case "001":
            session.registered = true
            session.nick = message.param(0) ?? session.nick
            let nick = session.nick
            state.withLock { state in
                state.registered = true
                state.status.connected = true
                state.status.nick = nick
                state.status.connections += 1
                state.status.lastConnectedAt = .now
                state.status.lastError = nil
            }
            logger.info("irc: connected to \(options.host):\(options.port) as \(nick)")
            eventSink.yield(.registered(nick: nick))
            identifyWithNickServ()
            for channel in options.channels where !channel.isEmpty { sendRaw("JOIN \(channel)") }
        case "433" where !session.registered, "436" where !session.registered, "437" where !session.registered:
            // Nick in use (or unavailable) while registering: take the next candidate and try again.
            session.collisions += 1
            session.nick = session.nick + "_"
            logger.info("irc: nick in use, trying \(session.nick)")
            try await outbound.write(Self.encode("NICK \(session.nick)"))
        case "432" where !session.registered && session.collisions > 0 && session.nick.count > session.collisions:
            // The appended `_` made it too long for the server (NICKLEN): keep the length, end in `_`s instead.
            let base = options.nick.prefix(max(options.nick.count - session.collisions, 1))
            session.nick = base + String(repeating: "_", count: session.collisions)
            logger.info("irc: nick too long, trying \(session.nick)")
            try await outbound.write(Self.encode("NICK \(session.nick)"))
        case "432" where !session.registered:
            state.withLock { $0.status.lastError = "erroneous nickname \"\(session.nick)\"" }
        case "464", "465":
            state.withLock { $0.status.lastError = message.params.last ?? "password incorrect" }
        case "ERROR":
            state.withLock { $0.status.lastError = message.params.last ?? "server closed the link" }
        case "NICK" where message.sourceNick == session.nick:
            if let nick = message.param(0) {
                session.nick = nick
                state.withLock { $0.status.nick = nick }
            }
        case "JOIN" where message.sourceNick == session.nick:
            guard let channel = message.param(0) else { return }
            let prefixBytes = (message.prefix?.utf8.count ?? 0) + 2
            state.withLock { state in
                state.sourcePrefixBytes = prefixBytes
                if !state.status.joinedChannels.contains(channel) { state.status.joinedChannels.append(channel) }
            }
            eventSink.yield(.joined(channel: channel))
        case "PART" where message.sourceNick == session.nick:
            removeJoined(message.param(0))
        case "KICK" where message.param(1) == session.nick:
            removeJoined(message.param(0))
        case "PRIVMSG", "NOTICE":
            deliver(message, session: session)
        default:
            break
        }
    }

    private func removeJoined(_ channel: String?) {
        guard let channel else { return }
        state.withLock { $0.status.joinedChannels.removeAll { $0.caseInsensitiveCompare(channel) == .orderedSame } }
    }

    private func identifyWithNickServ() {
        guard let nickServ = options.nickServ, !nickServ.password.isEmpty else { return }
        if let email = nickServ.registerEmail, !email.isEmpty {
            sendRaw("PRIVMSG \(nickServ.service) :REGISTER \(nickServ.password) \(email)")
        }
        sendRaw("PRIVMSG \(nickServ.service) :IDENTIFY \(nickServ.password)")
    }

    /// Turns a PRIVMSG/NOTICE into an event; CTCP is ignored except a VERSION request.
    private func deliver(_ message: IRCMessage, session: Session) {
        guard session.registered, let prefix = message.prefix, prefix.contains("!"),
            let target = message.param(0), let text = message.param(1)
        else { return }
        let source = IRCSource(prefix: prefix)
        if source.nick.caseInsensitiveCompare(session.nick) == .orderedSame { return }
        let isNotice = message.command == "NOTICE"
        if text.hasPrefix("\u{01}") {
            let request = text.trimmingCharacters(in: ["\u{01}"]).uppercased()
            if !isNotice, request == "VERSION", let reply = options.versionReply {
                sendRaw("NOTICE \(source.nick) :\u{01}VERSION \(reply)\u{01}")
            }
            return
        }
        let isDirect = !(target.first.map { "#&+!".contains($0) } ?? false)
        eventSink.yield(.message(IRCIncomingMessage(source: source, target: target, text: text, isNotice: isNotice, isDirect: isDirect, botNick: session.nick)))
    }
}
