// Sources/Runtime/Channels/IRC/IRCAccountHandle.swift - a running IRC account: client events → gateway, replies → IRC

import Foundation

/// Runs one account's `IRCClient`, turns its events into status updates and inbound messages, and
/// sends the gateway's replies.
final class IRCAccountHandle: ChannelAccountHandle {
    private let client: IRCClient
    private let runner: Task<Void, Never>
    private let pump: Task<Void, Never>
    private let context: ChannelAccountContext

    init(account: IRCAccount, context: ChannelAccountContext) {
        let client = IRCClient(options: account.options, logger: context.logger)
        self.client = client
        self.context = context
        context.update { status in
            status.running = true
            status.lastStartAt = Self.nowMs()
        }
        runner = Task { await client.run() }
        pump = Task {
            for await event in client.events {
                switch event {
                case .registered:
                    context.markConnected()
                case .disconnected(let reason, let retryIn):
                    if retryIn != nil { context.markDisconnected(error: reason) } else { context.update { $0.connected = false } }
                case .message(let message):
                    guard !message.isNotice else { continue }
                    context.update { $0.lastInboundAt = Self.nowMs() }
                    await context.inbound.receive(
                        Self.inbound(message, account: account), channel: context.channel, accountId: context.accountId
                    )
                case .joined, .pinged:
                    break
                }
            }
        }
    }

    func sendText(_ text: String, to target: ChannelTarget) async throws(ChannelError) -> ChannelSendResult {
        let peer = target.chatType == .direct ? String(target.peerId.prefix { $0 != "!" }) : target.peerId
        do {
            try client.send(text, to: peer)
        } catch {
            if client.status.connected { throw .sendFailed(error.description) }
            throw .notConnected
        }
        context.update { $0.lastOutboundAt = Self.nowMs() }
        return ChannelSendResult()
    }

    func stop() async {
        await client.stop()
        await runner.value
        await pump.value
        context.update { status in
            status.running = false
            status.connected = false
            status.lastStopAt = Self.nowMs()
        }
    }

    /// The gateway's view of one IRC message. The sender id is `nick!user@host` (what allowlists and
    /// pairing should hold); the bare nick is an alias only with `dangerouslyAllowNameMatching`.
    static func inbound(_ message: IRCIncomingMessage, account: IRCAccount) -> ChannelInboundMessage {
        ChannelInboundMessage(
            senderId: message.source.full,
            senderName: message.source.nick,
            senderAliases: account.allowNameMatching ? [message.source.nick] : [],
            chatType: message.isDirect ? .direct : .group,
            groupId: message.isDirect ? nil : message.target,
            groupName: message.isDirect ? nil : message.target,
            text: message.text,
            mentionsBot: message.isDirect || mentions(message.text, nick: message.botNick, patterns: account.mentionPatterns)
        )
    }

    /// `nick: …`, `nick, …`, or the nick as a word anywhere (case-insensitive), or a configured pattern.
    static func mentions(_ text: String, nick: String, patterns: [String]) -> Bool {
        let lowered = text.lowercased()
        let name = nick.lowercased()
        var searchStart = lowered.startIndex
        while let range = lowered.range(of: name, range: searchStart..<lowered.endIndex) {
            let before = range.lowerBound == lowered.startIndex ? nil : lowered[lowered.index(before: range.lowerBound)]
            let after = range.upperBound == lowered.endIndex ? nil : lowered[range.upperBound]
            if !isNickCharacter(before) && !isNickCharacter(after) { return true }
            searchStart = range.upperBound
        }
        return patterns.contains { pattern in
            (try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]))?
                .firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    private static func isNickCharacter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber || "-_[]\\`^{}|".contains(character)
    }

    static func isChannelName(_ target: String) -> Bool {
        target.first.map { "#&+!".contains($0) } ?? false
    }

    private static func nowMs() -> Int { Int(Date().timeIntervalSince1970 * 1000) }
}
