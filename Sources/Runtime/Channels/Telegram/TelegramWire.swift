// Sources/Runtime/Channels/Telegram/TelegramWire.swift - the Bot API objects the channel reads

import Foundation

/// The Bot API's envelope: `{ok, result}` on success, `{ok:false, error_code, description, parameters}` on failure.
struct TelegramEnvelope<Result: Decodable>: Decodable {
    var ok: Bool
    var result: Result?
    var errorCode: Int?
    var description: String?
    var parameters: TelegramResponseParameters?

    enum CodingKeys: String, CodingKey {
        case ok, result, description, parameters
        case errorCode = "error_code"
    }
}

/// `ResponseParameters`: why a request failed and what to do about it.
struct TelegramResponseParameters: Decodable {
    var retryAfter: Int?
    var migrateToChatId: Int64?

    enum CodingKeys: String, CodingKey {
        case retryAfter = "retry_after"
        case migrateToChatId = "migrate_to_chat_id"
    }
}

/// `User` (the bot itself from `getMe`, or a message's sender).
public struct TelegramUser: Decodable, Sendable, Equatable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var lastName: String?
    public var username: String?

    enum CodingKeys: String, CodingKey {
        case id, username
        case isBot = "is_bot"
        case firstName = "first_name"
        case lastName = "last_name"
    }

    /// "First Last (@username)" for logs and envelopes.
    public var displayName: String {
        [firstName, lastName].compactMap { $0 }.joined(separator: " ")
    }
}

/// `Chat`: `type` is `private`, `group`, `supergroup` or `channel`.
public struct TelegramChat: Decodable, Sendable, Equatable {
    public var id: Int64
    public var type: String
    public var title: String?
    public var username: String?
    public var isForum: Bool?

    enum CodingKeys: String, CodingKey {
        case id, type, title, username
        case isForum = "is_forum"
    }
}

/// `MessageEntity`: a span of a message's text, offsets in UTF-16 code units.
public struct TelegramEntity: Decodable, Sendable, Equatable {
    public var type: String
    public var offset: Int
    public var length: Int
    /// The user of a `text_mention` (someone without a username).
    public var user: TelegramUser?
}

/// `Message`, with the fields the channel uses.
public final class TelegramMessage: Decodable, Sendable {
    public let messageId: Int
    public let messageThreadId: Int?
    public let from: TelegramUser?
    public let chat: TelegramChat
    public let date: Int
    public let text: String?
    public let caption: String?
    public let entities: [TelegramEntity]?
    public let captionEntities: [TelegramEntity]?
    public let replyToMessage: TelegramMessage?
    public let isTopicMessage: Bool?

    enum CodingKeys: String, CodingKey {
        case from, chat, date, text, caption, entities
        case messageId = "message_id"
        case messageThreadId = "message_thread_id"
        case captionEntities = "caption_entities"
        case replyToMessage = "reply_to_message"
        case isTopicMessage = "is_topic_message"
    }
}

/// `Update`: one event from `getUpdates`; kinds the channel does not handle decode with no message.
public struct TelegramUpdate: Decodable, Sendable {
    public var updateId: Int
    public var message: TelegramMessage?
    public var editedMessage: TelegramMessage?

    enum CodingKeys: String, CodingKey {
        case message
        case updateId = "update_id"
        case editedMessage = "edited_message"
    }
}
