// Sources/Runtime/Channels/Telegram/TelegramSender.swift - outbound text: chunks, HTML with a plain fallback, 429 retries

/// Delivers one reply as one or more messages: each chunk is sent as HTML rendered from its
/// Markdown; when Telegram refuses the HTML ("can't parse entities") the same chunk goes again
/// as plain text. A 429 waits `retry_after` (up to `maxRetryAfter`) and retries the chunk.
public struct TelegramSender: Sendable {
    public var api: TelegramBotAPI
    /// Characters per message (upstream's `textChunkLimit`, default 4000; Telegram's limit is 4096).
    public var chunkLimit: Int
    /// Attempts per chunk when Telegram answers 429.
    public var maxAttempts: Int
    /// A longer `retry_after` fails the send instead of stalling the reply.
    public var maxRetryAfter: Int

    public init(api: TelegramBotAPI, chunkLimit: Int = 4000, maxAttempts: Int = 3, maxRetryAfter: Int = 60) {
        self.api = api
        self.chunkLimit = min(max(chunkLimit, 16), TelegramChunker.maxMessageLength)
        self.maxAttempts = maxAttempts
        self.maxRetryAfter = maxRetryAfter
    }

    /// Sends `text` (Markdown) to a chat; the first chunk replies to `replyTo`. Returns the sent message ids.
    @discardableResult
    public func sendText(chatId: Int64, text: String, replyTo: Int? = nil, threadId: Int? = nil) async throws(TelegramAPIError) -> [Int] {
        do {
            return try await sendChunks(chatId: chatId, text: text, replyTo: replyTo, threadId: threadId)
        } catch  where error.migrateToChatId != nil {
            // The group became a supergroup (a new chat id); the reply goes there, as Telegram asks.
            return try await sendChunks(chatId: error.migrateToChatId!, text: text, replyTo: nil, threadId: threadId)
        }
    }

    private func sendChunks(chatId: Int64, text: String, replyTo: Int?, threadId: Int?) async throws(TelegramAPIError) -> [Int] {
        var ids: [Int] = []
        for (index, chunk) in TelegramChunker.chunks(text, limit: chunkLimit).enumerated() {
            let reply = index == 0 ? replyTo : nil
            let message: TelegramMessage
            do throws(TelegramAPIError) {
                message = try await withRetry { () async throws(TelegramAPIError) -> TelegramMessage in
                    try await api.sendMessage(
                        chatId: chatId, text: TelegramHTML.render(chunk), parseMode: "HTML", replyToMessageId: reply, messageThreadId: threadId)
                }
            } catch  where error.kind == .cantParseEntities {
                message = try await withRetry { () async throws(TelegramAPIError) -> TelegramMessage in
                    try await api.sendMessage(chatId: chatId, text: chunk, replyToMessageId: reply, messageThreadId: threadId)
                }
            }
            ids.append(message.messageId)
        }
        return ids
    }

    /// Shows "typing…"; failures are ignored (typing is a courtesy, the reply still goes).
    public func typing(chatId: Int64, threadId: Int? = nil) async {
        _ = try? await api.sendChatAction(chatId: chatId, action: "typing", messageThreadId: threadId)
    }

    private func withRetry<T>(_ operation: () async throws(TelegramAPIError) -> T) async throws(TelegramAPIError) -> T {
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch  where error.kind == .rateLimited && attempt < maxAttempts && (error.retryAfter ?? 1) <= maxRetryAfter {
                attempt += 1
                do { try await Task.sleep(for: .seconds(max(error.retryAfter ?? 1, 1))) } catch {
                    throw TelegramAPIError(kind: .network, method: "sendMessage", detail: "cancelled")
                }
            }
        }
    }
}
