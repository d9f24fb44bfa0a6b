// Sources/Runtime/Channels/Telegram/TelegramBotIdentities.swift - which bot a token belongs to, as last seen by getMe

import Synchronization

/// The bot behind each token, learnt from `getMe` (at start or by a probe), so status output can name
/// `@botUsername` without another call. In memory only; keyed by the token, which never leaves the process.
final class TelegramBotIdentities: Sendable {
    static let shared = TelegramBotIdentities()

    private let bots = Mutex<[String: TelegramUser]>([:])

    func remember(_ bot: TelegramUser, for token: String) {
        bots.withLock { $0[token] = bot }
    }

    func bot(for token: String) -> TelegramUser? {
        bots.withLock { $0[token] }
    }
}
