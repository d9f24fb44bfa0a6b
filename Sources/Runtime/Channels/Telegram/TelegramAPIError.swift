// Sources/Runtime/Channels/Telegram/TelegramAPIError.swift - a failed Bot API call, classified by what to do next

/// A Bot API call that failed: Telegram's own error (`error_code`, `description`, `retry_after`)
/// or a transport failure. `kind` says what the caller should do about it.
public struct TelegramAPIError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// 401/404 on the token: the bot token is wrong or revoked; retrying will not help.
        case unauthorized
        /// 429: wait `retryAfter` seconds, then retry.
        case rateLimited
        /// 409: another `getUpdates` consumer or a webhook holds this bot.
        case conflict
        /// 400 "can't parse entities": the HTML was refused; resend as plain text.
        case cantParseEntities
        /// Any other answer from Telegram (4xx/5xx with a description).
        case rejected
        /// No answer: connection refused, reset, timed out, or a body that is not the Bot API's JSON.
        case network
    }

    public var kind: Kind
    /// The Bot API method, e.g. `getUpdates`.
    public var method: String
    /// Telegram's `error_code` (the HTTP status), nil for network failures.
    public var code: Int?
    /// Telegram's `description`, or the transport error.
    public var detail: String
    /// `parameters.retry_after` in seconds.
    public var retryAfter: Int?
    /// `parameters.migrate_to_chat_id`: the group became this supergroup; send there instead.
    public var migrateToChatId: Int64?

    public init(kind: Kind, method: String, code: Int? = nil, detail: String, retryAfter: Int? = nil, migrateToChatId: Int64? = nil) {
        self.kind = kind
        self.method = method
        self.code = code
        self.detail = detail
        self.retryAfter = retryAfter
        self.migrateToChatId = migrateToChatId
    }

    /// Classifies Telegram's error answer.
    static func answer(method: String, code: Int, description: String, retryAfter: Int?, migrateToChatId: Int64? = nil) -> TelegramAPIError {
        let kind: Kind
        switch code {
        case 401: kind = .unauthorized
        case 404 where method == "getMe": kind = .unauthorized
        case 429: kind = .rateLimited
        case 409: kind = .conflict
        case 400 where description.lowercased().contains("can't parse entities"): kind = .cantParseEntities
        default: kind = .rejected
        }
        return TelegramAPIError(kind: kind, method: method, code: code, detail: description, retryAfter: retryAfter, migrateToChatId: migrateToChatId)
    }

    public var description: String {
        switch kind {
        case .unauthorized:
            "Telegram \(method) returned \(code ?? 401) (\(detail)): the bot token is invalid or revoked; check channels.telegram.botToken, tokenFile or TELEGRAM_BOT_TOKEN"
        case .rateLimited:
            "Telegram \(method) returned 429 (\(detail)), retry after \(retryAfter ?? 1) s"
        case .conflict:
            "Telegram \(method) returned 409 (\(detail)): another getUpdates consumer or a webhook uses this bot token"
        case .network:
            "Telegram \(method) failed: \(detail)"
        case .cantParseEntities, .rejected:
            "Telegram \(method) returned \(code.map(String.init) ?? "an error") (\(detail))"
        }
    }
}
