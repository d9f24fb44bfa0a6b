// Sources/Runtime/Channels/Telegram/TelegramInbound.swift - an update as the channel's inbound message, with mention detection

import Foundation

/// A text message the bot received, reduced to what routing and access control need.
public struct TelegramInbound: Sendable, Equatable {
    public var updateId: Int
    public var chatId: Int64
    /// `private`, `group`, `supergroup` or `channel`.
    public var chatType: String
    public var chatTitle: String?
    public var senderId: Int64?
    public var senderName: String?
    public var senderUsername: String?
    public var senderIsBot: Bool
    public var text: String
    public var messageId: Int
    /// When Telegram says it was sent (seconds since epoch).
    public var date: Int
    /// The forum topic (or DM thread) the message belongs to; replies go back to it.
    public var threadId: Int?
    /// True when the message @-mentions the bot, names it in a `text_mention`, or replies to one of its messages.
    public var mentionsBot: Bool

    public var isGroup: Bool { chatType == "group" || chatType == "supergroup" }
    public var isDirect: Bool { chatType == "private" }

    /// The message in `update` as seen by `bot`; nil for updates without text or attachment (edits,
    /// joins). An attachment shows as upstream's placeholder, before its caption: `<media:image>`,
    /// `<media:document> the caption` (the file is not fetched; the agent at least knows it came).
    public init?(_ update: TelegramUpdate, bot: TelegramUser) {
        guard let message = update.message else { return nil }
        let written = message.text ?? message.caption ?? ""
        let placeholder = message.text == nil ? message.media.map { "<media:\($0)>" } : nil
        let text = [placeholder, written.isEmpty ? nil : written].compactMap { $0 }.joined(separator: " ")
        guard !text.isEmpty else { return nil }
        updateId = update.updateId
        chatId = message.chat.id
        chatType = message.chat.type
        chatTitle = message.chat.title
        senderId = message.from?.id
        senderName = message.from?.displayName
        senderUsername = message.from?.username
        senderIsBot = message.from?.isBot ?? false
        self.text = text
        messageId = message.messageId
        date = message.date
        // Only forum topics (and topic DMs) take a thread id back; a reply thread in a plain supergroup does not.
        threadId = message.isTopicMessage == true ? message.messageThreadId : nil
        mentionsBot = Self.mentions(message, text: written, bot: bot)
    }

    static func mentions(_ message: TelegramMessage, text: String, bot: TelegramUser) -> Bool {
        // In a forum topic every message "replies" to the topic's first message; that is no reply to the bot.
        if let replied = message.replyToMessage, replied.from?.id == bot.id,
            !(message.isTopicMessage == true && replied.messageId == message.messageThreadId)
        {
            return true
        }
        let handle = bot.username.map { "@" + $0.lowercased() }
        let utf16 = Array(text.utf16)
        for entity in (message.entities ?? message.captionEntities ?? []) {
            switch entity.type {
            case "text_mention":
                if entity.user?.id == bot.id { return true }
            case "mention":
                guard let handle, entity.offset >= 0, entity.length > 0, entity.offset + entity.length <= utf16.count else { continue }
                let span = String(decoding: utf16[entity.offset..<(entity.offset + entity.length)], as: UTF16.self)
                if span.lowercased() == handle { return true }
            default:
                continue
            }
        }
        return false
    }

    /// The text with a leading `@bot` mention removed, as the agent should see a group message.
    public func textWithoutMention(of bot: TelegramUser) -> String {
        guard let username = bot.username else { return text }
        let handle = "@" + username
        var trimmed = Substring(text)
        if trimmed.lowercased().hasPrefix(handle.lowercased()) {
            trimmed = trimmed.dropFirst(handle.count)
            trimmed = trimmed.drop { $0 == " " || $0 == "," || $0 == ":" }
        }
        return trimmed.isEmpty ? text : String(trimmed)
    }
}
