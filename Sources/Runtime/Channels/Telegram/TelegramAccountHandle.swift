// Sources/Runtime/Channels/Telegram/TelegramAccountHandle.swift - one running bot: identity, polling, delivery

import Foundation
import Logging
import Synchronization

/// A started Telegram account. Its task learns the bot's identity (`getMe`, retried with backoff),
/// then long-polls and hands every text message to the gateway; a bad token (401) ends it with
/// the reason in the account's `lastError`. Replies go out through `TelegramSender`.
final class TelegramAccountHandle: ChannelAccountHandle {
    private let account: TelegramAccount
    private let api: TelegramBotAPI
    private let sender: TelegramSender
    private let context: ChannelAccountContext
    private let token: String
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// The bot as `getMe` described it, once known.
    let bot = Mutex<TelegramUser?>(nil)
    /// Chats showing "typing…": Telegram clears it after about 5 s, so it is repeated until the reply goes out.
    private let typingLoops = Mutex<[Int64: Task<Void, Never>]>([:])
    /// How often, and for how long at most, "typing…" is repeated while the agent works.
    static let typingInterval: Duration = .seconds(4)
    static let typingRepeats = 30
    /// Whether the last poll succeeded (status flips back to connected on the first success after failures).
    private let healthy = Mutex(false)

    init(account: TelegramAccount, token: String, context: ChannelAccountContext, backoff: ChannelBackoff, pollTimeout: Int) {
        self.account = account
        self.token = token
        api = TelegramBotAPI(token: token, apiRoot: account.apiRoot, requestTimeout: .seconds(account.timeoutSeconds))
        sender = TelegramSender(api: api, chunkLimit: account.textChunkLimit ?? TelegramChannelPlugin.textChunkLimit)
        self.context = context
        let poller = TelegramPoller(api: api, timeout: pollTimeout, backoff: TelegramBackoff(initial: backoff.initial, max: backoff.maximum))
        task.withLock { $0 = Task { await self.run(poller: poller, backoff: backoff) } }
    }

    func sendText(_ text: String, to target: ChannelTarget) async throws(ChannelError) -> ChannelSendResult {
        guard let chat = TelegramTarget(target.peerId) else { throw .invalidTarget("not a Telegram chat id: \(target.peerId)") }
        typingLoops.withLock { $0.removeValue(forKey: chat.chatId) }?.cancel()
        do {
            let ids = try await sender.sendText(
                chatId: chat.chatId, text: text, replyTo: target.replyToMessageId.flatMap { Int($0) },
                threadId: target.threadId.flatMap { Int($0) } ?? chat.threadId)
            return ChannelSendResult(messageId: ids.last.map(String.init))
        } catch {
            if error.kind == .network { throw .notConnected }
            throw .sendFailed(error.description)
        }
    }

    func sendTyping(to target: ChannelTarget) async {
        guard let chat = TelegramTarget(target.peerId) else { return }
        let threadId = target.threadId.flatMap { Int($0) } ?? chat.threadId
        await sender.typing(chatId: chat.chatId, threadId: threadId)
        let sender = self.sender
        let loop = Task {
            for _ in 0..<Self.typingRepeats {
                do { try await Task.sleep(for: Self.typingInterval) } catch { return }
                await sender.typing(chatId: chat.chatId, threadId: threadId)
            }
        }
        typingLoops.withLock { loops in
            loops[chat.chatId]?.cancel()
            loops[chat.chatId] = loop
        }
    }

    func stop() async {
        for loop in typingLoops.withLock({ loops in
            defer { loops = [:] }
            return Array(loops.values)
        }) { loop.cancel() }
        let task = self.task.withLock { $0 }
        task?.cancel()
        await task?.value
        context.update { $0.connected = false }
    }

    private func run(poller: TelegramPoller, backoff: ChannelBackoff) async {
        let logger = context.logger
        var backoff = backoff
        var identity: TelegramUser?
        while identity == nil, !Task.isCancelled {
            do {
                identity = try await api.getMe()
            } catch {
                if error.kind == .unauthorized {
                    context.update { status in
                        status.connected = false
                        status.lastError = error.description
                    }
                    logger.error("\(error.description)")
                    return
                }
                if Task.isCancelled { return }
                let delay = backoff.next()
                logger.warning("telegram getMe failed, retrying in \(delay): \(error.description)")
                context.markDisconnected(error: error.description)
                do { try await Task.sleep(for: delay) } catch { return }
            }
        }
        guard let me = identity else { return }
        bot.withLock { $0 = me }
        TelegramBotIdentities.shared.remember(me, for: token)
        context.markConnected()
        healthy.withLock { $0 = true }
        logger.info(
            "telegram bot @\(me.username ?? String(me.id)) polling (\(account.apiRoot == TelegramBotAPI.defaultAPIRoot ? "api.telegram.org" : account.apiRoot))"
        )
        let context = self.context
        let offsets = TelegramOffsetStore(stateDir: context.stateDir, accountId: context.accountId)
        do {
            try await poller.run(
                startingAt: offsets.resumeOffset(botId: me.id),
                onEvent: { event in
                    switch event {
                    case .polled:
                        if !self.healthy.withLock({ $0 }) {
                            self.healthy.withLock { $0 = true }
                            context.markConnected()
                        }
                    case .retrying(let error, let delay):
                        logger.warning("telegram getUpdates failed, retrying in \(delay): \(error.description)")
                        self.healthy.withLock { $0 = false }
                        context.markDisconnected(error: error.description)
                    }
                },
                handle: { updates in
                    for update in updates {
                        guard let inbound = TelegramInbound(update, bot: me) else { continue }
                        guard !inbound.senderIsBot, let message = Self.channelMessage(inbound) else {
                            logger.debug("telegram update \(update.updateId) dropped (reason=bot-or-channel)")
                            continue
                        }
                        await context.inbound.receive(message, channel: context.channel, accountId: context.accountId)
                    }
                    if let last = updates.last { offsets.save(botId: me.id, updateId: last.updateId) }
                })
        } catch {
            context.update { status in
                status.connected = false
                status.lastError = error.description
            }
            logger.error("\(error.description)")
        }
    }

    /// The gateway's view of a Telegram message; nil for chats the channel does not serve (channels).
    static func channelMessage(_ inbound: TelegramInbound) -> ChannelInboundMessage? {
        guard inbound.isDirect || inbound.isGroup, let senderId = inbound.senderId else { return nil }
        return ChannelInboundMessage(
            senderId: String(senderId),
            senderName: inbound.senderName,
            // `allowFrom` may write the id as `tg:<id>` (upstream normalizes it); `telegram:` the gateway strips itself.
            senderAliases: ["tg:\(senderId)"] + (inbound.senderUsername.map { ["@" + $0] } ?? []),
            chatType: inbound.isGroup ? .group : .direct,
            groupId: inbound.isGroup ? String(inbound.chatId) : nil,
            groupName: inbound.isGroup ? inbound.chatTitle : nil,
            threadId: inbound.threadId.map(String.init),
            text: inbound.text,
            mentionsBot: inbound.mentionsBot,
            messageId: String(inbound.messageId),
            timestampMs: inbound.date * 1000
        )
    }
}
