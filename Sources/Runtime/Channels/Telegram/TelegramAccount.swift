// Sources/Runtime/Channels/Telegram/TelegramAccount.swift - one bot's settings from `channels.telegram`

import Foundation
import Generated
import ProtocolSupport

/// A Telegram account (one bot) resolved from `channels.telegram` (+ `accounts.<id>`).
/// Token order, as upstream: `botToken`, then `tokenFile` (a regular file; symlinks refused),
/// then `TELEGRAM_BOT_TOKEN` for the default account only.
public struct TelegramAccount: ChannelAccount {
    public var accountId: String
    public var name: String?
    public var enabled: Bool
    public var token: String?
    /// Where the token came from: `config`, `tokenFile`, `env` or `none` (status output; never the token).
    public var tokenSource: String
    /// The Bot API root (`apiRoot`), e.g. a self-hosted Bot API server.
    public var apiRoot: String
    /// Characters per message (`textChunkLimit`, 1–4096); nil: the channel's default (`ConfigDefaults.channelsTelegramTextChunkLimit`).
    public var textChunkLimit: Int?
    /// Limit of ordinary Bot API calls (`timeoutSeconds`, default 30).
    public var timeoutSeconds: Int
    public var problem: String?

    public var configured: Bool { token != nil && problem == nil }

    public static func resolve(_ config: ChannelConfigView, accountId: String) -> TelegramAccount {
        let settings = config.account(accountId, as: ChannelsTelegramAccountConfig.self) ?? ChannelsTelegramAccountConfig()
        var account = TelegramAccount(
            accountId: accountId,
            name: settings.name,
            enabled: config.channelEnabled && (settings.enabled ?? ConfigDefaults.channelsTelegramEnabled),
            token: nil,
            tokenSource: "none",
            apiRoot: settings.apiRoot.flatMap { $0.isEmpty ? nil : $0 } ?? ConfigDefaults.channelsTelegramApiRoot,
            textChunkLimit: settings.textChunkLimit.map { min(max($0, 1), TelegramChunker.maxMessageLength) },
            timeoutSeconds: min(max(settings.timeoutSeconds ?? ConfigDefaults.channelsTelegramTimeoutSeconds, 1), 600),
            problem: nil
        )
        if let token = settings.botToken?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            account.token = token
            account.tokenSource = "config"
        } else if let path = settings.tokenFile, !path.isEmpty {
            switch readTokenFile(path) {
            case .success(let token):
                account.token = token
                account.tokenSource = "tokenFile"
            case .failure(let problem):
                account.problem = problem.message
            }
        } else if accountId == ChannelConfigView.defaultAccountId || accountId == config.defaultAccountId,
            let token = config.environment["TELEGRAM_BOT_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty
        {
            account.token = token
            account.tokenSource = "env"
        }
        if account.token == nil, account.problem == nil {
            account.problem =
                accountId == ChannelConfigView.defaultAccountId
                ? "no bot token: set \(ConfigPath.channelsTelegramBotToken) (or tokenFile, or TELEGRAM_BOT_TOKEN)"
                : "no bot token: set \(ConfigPath.channelsTelegramAccounts).\(accountId).botToken (or tokenFile)"
        }
        if let root = URL(string: account.apiRoot), root.scheme == "http" || root.scheme == "https", root.host != nil {
        } else {
            account.problem = "\(ConfigPath.channelsTelegramApiRoot) \"\(account.apiRoot)\" is not an http(s) URL"
        }
        return account
    }

    struct TokenFileProblem: Error { var message: String }

    private static func readTokenFile(_ path: String) -> Result<String, TokenFileProblem> {
        let expanded = (path as NSString).expandingTildeInPath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: expanded) else {
            return .failure(.init(message: "\(ConfigPath.channelsTelegramTokenFile) \"\(path)\" cannot be read"))
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            return .failure(.init(message: "\(ConfigPath.channelsTelegramTokenFile) \"\(path)\" is not a regular file (symlinks are refused)"))
        }
        guard let text = try? String(contentsOfFile: expanded, encoding: .utf8) else {
            return .failure(.init(message: "\(ConfigPath.channelsTelegramTokenFile) \"\(path)\" cannot be read"))
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? .failure(.init(message: "\(ConfigPath.channelsTelegramTokenFile) \"\(path)\" is empty")) : .success(token)
    }
}
