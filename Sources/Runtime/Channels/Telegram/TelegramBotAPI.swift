// Sources/Runtime/Channels/Telegram/TelegramBotAPI.swift - Bot API calls over HTTP (getMe, getUpdates, sendMessage, sendChatAction)

import AsyncHTTPClient
import Foundation
import Generated
import NIOCore
import ProtocolSupport

/// One bot's Bot API: `POST <apiRoot>/bot<token>/<method>` with a JSON body. Every failure is a
/// `TelegramAPIError`; this type never retries (the poller and the sender decide that).
public struct TelegramBotAPI: Sendable {
    /// Telegram's own server; a self-hosted Bot API server replaces it via `apiRoot`.
    public static let defaultAPIRoot = ConfigDefaults.channelsTelegramApiRoot

    public var apiRoot: String
    private let token: String
    private let client: HTTPClient
    /// Limit for every call but `getUpdates` (whose limit is its long-poll timeout plus this).
    public var requestTimeout: Duration

    public init(token: String, apiRoot: String? = nil, client: HTTPClient = .shared, requestTimeout: Duration = .seconds(30)) {
        self.token = token
        var root = apiRoot?.trimmingCharacters(in: .whitespaces) ?? ""
        while root.hasSuffix("/") { root.removeLast() }
        self.apiRoot = root.isEmpty ? Self.defaultAPIRoot : root
        self.client = client
        self.requestTimeout = requestTimeout
    }

    /// The bot's own user (`getMe`): a cheap probe that the token works.
    public func getMe() async throws(TelegramAPIError) -> TelegramUser {
        try await call("getMe", [:])
    }

    /// Long polling: waits up to `timeout` seconds for updates with `update_id >= offset`;
    /// passing an offset confirms every earlier update.
    public func getUpdates(offset: Int?, timeout: Int, allowedUpdates: [String]? = nil) async throws(TelegramAPIError) -> [TelegramUpdate] {
        var params: [String: JSONValue] = ["timeout": .int(timeout)]
        if let offset { params["offset"] = .int(offset) }
        if let allowedUpdates { params["allowed_updates"] = .array(allowedUpdates.map(JSONValue.string)) }
        return try await call("getUpdates", params, timeout: .seconds(timeout) + requestTimeout)
    }

    /// Sends one message (at most 4096 characters after entity parsing).
    @discardableResult
    public func sendMessage(
        chatId: Int64, text: String, parseMode: String? = nil, replyToMessageId: Int? = nil, messageThreadId: Int? = nil,
        disableLinkPreview: Bool = false
    ) async throws(TelegramAPIError) -> TelegramMessage {
        var params: [String: JSONValue] = ["chat_id": .int(Int(chatId)), "text": .string(text)]
        if let parseMode { params["parse_mode"] = .string(parseMode) }
        if let replyToMessageId {
            // Sending still works when the replied-to message was deleted meanwhile.
            params["reply_parameters"] = .object(["message_id": .int(replyToMessageId), "allow_sending_without_reply": .bool(true)])
        }
        if let messageThreadId { params["message_thread_id"] = .int(messageThreadId) }
        if disableLinkPreview { params["link_preview_options"] = .object(["is_disabled": .bool(true)]) }
        return try await call("sendMessage", params)
    }

    /// Shows "typing…" (or another action) in a chat for about five seconds.
    public func sendChatAction(chatId: Int64, action: String = "typing", messageThreadId: Int? = nil) async throws(TelegramAPIError) {
        var params: [String: JSONValue] = ["chat_id": .int(Int(chatId)), "action": .string(action)]
        if let messageThreadId { params["message_thread_id"] = .int(messageThreadId) }
        let _: Bool = try await call("sendChatAction", params)
    }

    /// Any method: encodes `params` as JSON, decodes `result`, maps Telegram's error shape.
    public func call<Result: Decodable>(_ method: String, _ params: [String: JSONValue], timeout: Duration? = nil) async throws(TelegramAPIError) -> Result {
        var request = HTTPClientRequest(url: "\(apiRoot)/bot\(token)/\(method)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        let body: Data
        do { body = try JSONEncoder().encode(JSONValue.object(params)) } catch {
            throw TelegramAPIError(kind: .network, method: method, detail: "cannot encode the request: \(error)")
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: .init(timeout ?? requestTimeout))
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: 16 << 20)
        } catch {
            // The token is part of the URL; transport errors may quote it.
            throw TelegramAPIError(kind: .network, method: method, detail: redacted(String(describing: error)))
        }
        guard let envelope = try? JSONDecoder().decode(TelegramEnvelope<Result>.self, from: Data(buffer: bytes)) else {
            if status == 401 { throw TelegramAPIError.answer(method: method, code: 401, description: "Unauthorized", retryAfter: nil) }
            throw TelegramAPIError(kind: .network, method: method, code: status, detail: "HTTP \(status) without a Bot API answer")
        }
        if envelope.ok, let result = envelope.result { return result }
        throw TelegramAPIError.answer(
            method: method, code: envelope.errorCode ?? status, description: envelope.description ?? "HTTP \(status)",
            retryAfter: envelope.parameters?.retryAfter, migrateToChatId: envelope.parameters?.migrateToChatId
        )
    }

    private func redacted(_ text: String) -> String {
        token.isEmpty ? text : text.replacingOccurrences(of: token, with: "<token>")
    }
}
