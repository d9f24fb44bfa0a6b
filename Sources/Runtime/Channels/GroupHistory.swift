// Sources/Runtime/Channels/GroupHistory.swift - unmentioned group messages kept as context for the next run there

import Foundation
import Synchronization

/// Upstream's pending group history: in a mention-gated group, messages that did not mention the
/// bot start no run, but the next run in that group sees them under
/// `[Chat messages since your last reply - for context]`, its own message under
/// `[Current message - respond to this]`. Only messages since the bot's last turn there are kept
/// (taking them empties the buffer), at most `historyLimit` per group (per account's
/// `historyLimit`, else `messages.groupChat.historyLimit`, else 50; 0 keeps none). Memory only: a
/// restart forgets them, as upstream's buffers do.
final class GroupHistory: Sendable {
    static let defaultLimit = 50
    static let contextHeader = "[Chat messages since your last reply - for context]"
    static let currentHeader = "[Current message - respond to this]"

    struct Entry: Sendable, Equatable {
        var sender: String
        var text: String
    }

    private let buffers = Mutex<[String: [Entry]]>([:])

    /// The buffer of one conversation: a group (and thread) on one channel account.
    static func key(channel: String, accountId: String, message: ChannelInboundMessage) -> String {
        [channel, accountId, (message.groupId ?? message.senderId).lowercased(), message.threadId ?? ""].joined(separator: "\u{0}")
    }

    func remember(_ message: ChannelInboundMessage, key: String, limit: Int) {
        guard limit > 0 else { return }
        let entry = Entry(sender: message.senderName ?? message.senderId, text: message.text)
        buffers.withLock { buffers in
            var entries = buffers[key] ?? []
            entries.append(entry)
            if entries.count > limit { entries.removeFirst(entries.count - limit) }
            buffers[key] = entries
        }
    }

    /// Empties the conversation's buffer and returns what it held, oldest first.
    func take(key: String) -> [Entry] {
        buffers.withLock { $0.removeValue(forKey: key) ?? [] }
    }

    /// The run's message: `text` alone without history, else both sections with sender labels.
    static func prompt(_ text: String, sender: String, history: [Entry]) -> String {
        guard !history.isEmpty else { return text }
        let lines = history.map { "\($0.sender): \($0.text)" }
        return ([contextHeader] + lines + ["", currentHeader, "\(sender): \(text)"]).joined(separator: "\n")
    }
}
