// Sources/Runtime/Channels/Telegram/TelegramTarget.swift - where `send --to` points on Telegram

import Foundation

/// A destination as users write it: `123456789` (a user's DM), `-1001234567890` (a group),
/// optionally prefixed `telegram:` or `tg:`, optionally with a forum topic `…:topic:42`.
struct TelegramTarget: Equatable {
    var chatId: Int64
    var threadId: Int?

    init?(_ raw: String) {
        var text = Substring(raw.trimmingCharacters(in: .whitespaces))
        for prefix in ["telegram:", "tg:"] where text.lowercased().hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard let chat = parts.first.flatMap({ Int64($0) }) else { return nil }
        chatId = chat
        if parts.count == 3, parts[1] == "topic", let topic = Int(parts[2]) {
            threadId = topic
        } else if parts.count != 1 {
            return nil
        }
    }

    /// Telegram gives groups and supergroups negative ids, users positive ones.
    var isGroup: Bool { chatId < 0 }
}
