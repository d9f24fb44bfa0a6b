// Sources/Runtime/Channels/Telegram/TelegramChannelPlugin.swift - Telegram as a gateway channel (Bot API long polling)

import Foundation
import Generated
import ProtocolSupport

/// The `telegram` channel: one bot per account, long-polling `getUpdates` against `apiRoot`
/// (Telegram's servers or a self-hosted Bot API server). Access control, pairing and sessions are
/// the gateway's; this plugin reports who wrote, where, and whether the bot was mentioned.
public struct TelegramChannelPlugin: ChannelPlugin {
    public var meta: ChannelMeta { ChannelMeta(id: "telegram", label: "Telegram", detailLabel: "Telegram Bot API") }
    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(chatTypes: [.direct, .group], threads: true, typing: true, textChunkLimit: Self.textChunkLimit)
    }

    /// Characters per message unless an account sets `textChunkLimit` (upstream's default; Telegram allows 4096).
    public static let textChunkLimit = ConfigDefaults.channelsTelegramTextChunkLimit

    /// Seconds an empty `getUpdates` stays open (tests shorten it so stopping is quick).
    public var pollTimeout: Int
    public var backoff: ChannelBackoff

    public init(pollTimeout: Int = 30, backoff: ChannelBackoff = ChannelBackoff(initial: .seconds(1), maximum: .seconds(30))) {
        self.pollTimeout = pollTimeout
        self.backoff = backoff
    }

    public func resolveAccount(_ config: ChannelConfigView, accountId: String) -> any ChannelAccount {
        TelegramAccount.resolve(config, accountId: accountId)
    }

    public func describeAccount(_ account: any ChannelAccount) -> [String: JSONValue] {
        guard let account = account as? TelegramAccount else { return [:] }
        var fields: [String: JSONValue] = ["tokenSource": .string(account.tokenSource), "mode": .string("polling")]
        if account.apiRoot != TelegramBotAPI.defaultAPIRoot { fields["apiRoot"] = .string(account.apiRoot) }
        if let token = account.token, let bot = TelegramBotIdentities.shared.bot(for: token) {
            fields["botId"] = .int(Int(bot.id))
            if let username = bot.username { fields["botUsername"] = .string(username) }
        }
        return fields
    }

    public func startAccount(_ account: any ChannelAccount, context: ChannelAccountContext) async throws -> any ChannelAccountHandle {
        guard let account = account as? TelegramAccount, let token = account.token, account.configured else {
            throw ChannelError.misconfigured(account.problem ?? "telegram account \(account.accountId) is not configured")
        }
        return TelegramAccountHandle(account: account, token: token, context: context, backoff: backoff, pollTimeout: pollTimeout)
    }

    public func probe(_ account: any ChannelAccount, timeout: Duration) async -> ChannelProbeResult {
        guard let account = account as? TelegramAccount, let token = account.token else {
            return ChannelProbeResult(ok: false, error: account.problem ?? "not configured")
        }
        let api = TelegramBotAPI(token: token, apiRoot: account.apiRoot, requestTimeout: timeout)
        let started = ContinuousClock.now
        do {
            let bot = try await api.getMe()
            TelegramBotIdentities.shared.remember(bot, for: token)
            var info: [String: JSONValue] = ["id": .int(Int(bot.id))]
            if let username = bot.username { info["username"] = .string(username) }
            return ChannelProbeResult(ok: true, elapsedMs: Self.milliseconds(since: started), details: ["bot": .object(info)])
        } catch {
            return ChannelProbeResult(ok: false, elapsedMs: Self.milliseconds(since: started), error: error.description)
        }
    }

    public func resolveTarget(_ raw: String, account: any ChannelAccount) throws(ChannelError) -> ChannelTarget {
        guard let target = TelegramTarget(raw) else {
            throw .invalidTarget("Telegram targets are numeric chat ids: 123456789 (a user), -1001234567890 (a group), optionally -1001234567890:topic:42")
        }
        return ChannelTarget(peerId: String(target.chatId), chatType: target.isGroup ? .group : .direct, threadId: target.threadId.map(String.init))
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
