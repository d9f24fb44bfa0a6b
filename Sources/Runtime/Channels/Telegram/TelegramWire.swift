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
    /// What kind of attachment the message carries (`image`, `document`, …), if any; the file itself
    /// is not fetched.
    public let media: String?

    enum CodingKeys: String, CodingKey {
        case from, chat, date, text, caption, entities
        case messageId = "message_id"
        case messageThreadId = "message_thread_id"
        case captionEntities = "caption_entities"
        case replyToMessage = "reply_to_message"
        case isTopicMessage = "is_topic_message"
        case photo, document, audio, voice, video, animation, sticker, location, contact
        case videoNote = "video_note"
    }

    /// The Bot API's attachment fields and the placeholder kind each becomes (upstream's `<media:…>`).
    static let mediaKinds: [(CodingKeys, String)] = [
        (.photo, "image"), (.sticker, "sticker"), (.animation, "video"), (.video, "video"), (.videoNote, "video"),
        (.voice, "audio"), (.audio, "audio"), (.document, "document"), (.location, "location"), (.contact, "contact"),
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageId = try container.decode(Int.self, forKey: .messageId)
        messageThreadId = try container.decodeIfPresent(Int.self, forKey: .messageThreadId)
        from = try container.decodeIfPresent(TelegramUser.self, forKey: .from)
        chat = try container.decode(TelegramChat.self, forKey: .chat)
        date = try container.decode(Int.self, forKey: .date)
        text = try container.decodeIfPresent(String.self, forKey: .text)
        caption = try container.decodeIfPresent(String.self, forKey: .caption)
        entities = try container.decodeIfPresent([TelegramEntity].self, forKey: .entities)
        captionEntities = try container.decodeIfPresent([TelegramEntity].self, forKey: .captionEntities)
        replyToMessage = try container.decodeIfPresent(TelegramMessage.self, forKey: .replyToMessage)
        isTopicMessage = try container.decodeIfPresent(Bool.self, forKey: .isTopicMessage)
        media = Self.mediaKinds.first { container.contains($0.0) }?.1
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
