// Sources/TestUpstream/FakeTelegramServer.swift - a Telegram Bot API server on 127.0.0.1 for tests

import Foundation
import Hummingbird
import Logging
import NIOCore
import ProtocolSupport
import ServiceLifecycle
import Synchronization

/// Speaks the documented Bot API shapes at `<apiRoot>/bot<token>/<method>` (JSON bodies,
/// `{ok, result}` / `{ok:false, error_code, description, parameters}` answers) for one bot:
/// `getMe`, long-polling `getUpdates` (offset confirms, `timeout` holds an empty poll open),
/// `sendMessage` (checks the HTML of `parse_mode: HTML` and the 4096-character limit like
/// Telegram) and `sendChatAction`. Tests push user messages, inject errors and read what the bot
/// called. Any other token gets 401, as from Telegram.
public final class FakeTelegramServer: Sendable {
    public enum ChatType: String, Sendable {
        case `private`, group, supergroup
    }

    /// A Telegram user that writes to the bot.
    public struct User: Sendable {
        public var id: Int64
        public var firstName: String
        public var username: String?

        public init(id: Int64, firstName: String, username: String? = nil) {
            self.id = id
            self.firstName = firstName
            self.username = username
        }
    }

    /// An error answer the next calls of one method get instead of their result.
    public enum Injected: Sendable {
        case unauthorized
        case tooManyRequests(retryAfter: Int)
        case conflict
        case badRequest(String)
        /// Telegram refusing `parse_mode: HTML` (the bot should resend as plain text).
        case cantParseEntities
        /// The group was upgraded to a supergroup with this id (400 with `migrate_to_chat_id`).
        case migrated(to: Int64)
    }

    /// One Bot API call as received.
    public struct Call: Sendable {
        public var method: String
        public var params: JSONValue
        public var at: ContinuousClock.Instant
        /// The answer's `error_code`, nil when it succeeded.
        public var errorCode: Int?
    }

    /// A message the bot sent, as Telegram accepted it.
    public struct SentMessage: Sendable {
        public var messageId: Int
        public var chatId: Int64
        /// The text as sent (HTML when `parseMode` is `HTML`).
        public var text: String
        public var parseMode: String?
        public var replyToMessageId: Int?
        public var threadId: Int?
        /// What a Telegram user sees: tags removed, entities decoded.
        public var visibleText: String
    }

    private struct State {
        var pending: [(id: Int, update: JSONValue)] = []
        var nextUpdateId = 1
        var nextMessageId = 1
        var injected: [String: [Injected]] = [:]
        var calls: [Call] = []
        var sent: [SentMessage] = []
        var waiters: [Int: (continuation: CheckedContinuation<Void, Never>, timer: Task<Void, Never>?)] = [:]
        var nextWaiter = 0
        var closed = false
    }

    public let token: String
    public let bot: User
    private let state = Mutex(State())
    private let started = Mutex<CheckedContinuation<Int, Never>?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let group = Mutex<ServiceGroup?>(nil)

    public init(token: String = "123456:TEST-token", bot: User = User(id: 777_000, firstName: "OpenClaw Test", username: "openclaw_test_bot")) {
        self.token = token
        self.bot = bot
    }

    // MARK: Lifecycle

    /// Starts on an ephemeral port and returns the API root (`http://127.0.0.1:<port>`).
    public func start() async -> String {
        let router = Router()
        router.post(":bot/:method") { request, context in try await self.answer(request, context) }
        router.get(":bot/:method") { request, context in try await self.answer(request, context) }
        let quiet = Logger(label: "fake-telegram", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in self.started.withLock { $0 }?.resume(returning: channel.localAddress?.port ?? 0) },
            logger: quiet
        )
        let port = await withCheckedContinuation { continuation in
            started.withLock { $0 = continuation }
            let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
            self.group.withLock { $0 = group }
            task.withLock { $0 = Task { try await group.run() } }
        }
        return "http://127.0.0.1:\(port)"
    }

    /// Ends open long polls (they answer with no updates) and shuts the server down gracefully.
    public func stop() async {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume()
        }
        await group.withLock { $0 }?.triggerGracefulShutdown()
        _ = try? await task.withLock { $0 }?.value
    }

    // MARK: What tests do

    /// Queues a text message from `from` in a chat and returns its `update_id`. `@name` words get
    /// `mention` entities as Telegram adds them; `replyToBot` makes it a reply to a bot message.
    @discardableResult
    public func pushMessage(
        chatId: Int64, chatType: ChatType = .private, from: User, text: String, chatTitle: String? = nil,
        entities: [JSONValue]? = nil, replyToBot: Bool = false, threadId: Int? = nil
    ) -> Int {
        state.withLock { state in
            let updateId = state.nextUpdateId
            state.nextUpdateId += 1
            let messageId = state.nextMessageId
            state.nextMessageId += 1
            var chat: [String: JSONValue] = ["id": .int(Int(chatId)), "type": .string(chatType.rawValue)]
            if chatType == .private {
                chat["first_name"] = .string(from.firstName)
                if let username = from.username { chat["username"] = .string(username) }
            } else {
                chat["title"] = .string(chatTitle ?? "Test group")
                if threadId != nil { chat["is_forum"] = .bool(true) }
            }
            var message: [String: JSONValue] = [
                "message_id": .int(messageId), "from": Self.userJSON(from, isBot: false), "chat": .object(chat),
                "date": .int(Int(Date().timeIntervalSince1970)), "text": .string(text),
            ]
            let spans = entities ?? Self.mentionEntities(in: text)
            if !spans.isEmpty { message["entities"] = .array(spans) }
            if let threadId {
                message["message_thread_id"] = .int(threadId)
                message["is_topic_message"] = .bool(true)
            }
            if replyToBot {
                message["reply_to_message"] = .object([
                    "message_id": .int(max(messageId - 1, 1)), "from": Self.userJSON(bot, isBot: true), "chat": .object(chat),
                    "date": .int(Int(Date().timeIntervalSince1970)), "text": .string("(an earlier bot message)"),
                ])
            }
            state.pending.append((updateId, .object(["update_id": .int(updateId), "message": .object(message)])))
            wakeAll(&state)
            return updateId
        }
    }

    /// The next `count` calls of `method` answer with `error` instead of their result.
    public func inject(_ error: Injected, method: String, count: Int = 1) {
        state.withLock { $0.injected[method, default: []] += Array(repeating: error, count: count) }
    }

    /// Every call so far, optionally of one method.
    public func calls(_ method: String? = nil) -> [Call] {
        state.withLock { state in state.calls.filter { method == nil || $0.method == method } }
    }

    /// Messages the bot sent so far.
    public var sentMessages: [SentMessage] { state.withLock { $0.sent } }

    /// Waits until the bot has sent at least `count` messages (nil after `seconds`).
    public func waitForMessages(_ count: Int, seconds: Double = 10) async -> [SentMessage]? {
        await until(.now + .milliseconds(Int(seconds * 1000))) { state in state.sent.count >= count ? state.sent : nil }
    }

    /// Waits for the first call of `method` that `matching` accepts (nil after `seconds`).
    public func waitForCall(_ method: String, seconds: Double = 10, matching: @escaping @Sendable (Call) -> Bool) async -> Call? {
        await until(.now + .milliseconds(Int(seconds * 1000))) { state in state.calls.first { $0.method == method && matching($0) } }
    }

    /// Waits until at least `count` calls of `method` arrived (nil after `seconds`).
    public func waitForCalls(_ method: String, count: Int, seconds: Double = 10) async -> [Call]? {
        await until(.now + .milliseconds(Int(seconds * 1000))) { state in
            let calls = state.calls.filter { $0.method == method }
            return calls.count >= count ? calls : nil
        }
    }

    // MARK: Serving

    private func answer(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let botPart = context.parameters.get("bot") ?? ""
        let method = context.parameters.get("method") ?? ""
        let body = try await request.body.collect(upTo: 8 << 20)
        var params = (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)))?.objectValue ?? [:]
        for (name, value) in request.uri.queryParameters { params[String(name)] = .string(String(value)) }
        // Recorded on arrival (a long poll is visible while it waits); the error code is filled in when answered.
        let index = state.withLock { state in
            state.calls.append(Call(method: method, params: .object(params), at: .now, errorCode: nil))
            wakeAll(&state)
            return state.calls.count - 1
        }
        let response: Response
        if botPart != "bot" + token {
            response = Self.error(401, "Unauthorized")
        } else if let injected = state.withLock({ state -> Injected? in
            guard var queue = state.injected[method], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            state.injected[method] = queue
            return first
        }) {
            response = Self.response(for: injected)
        } else {
            switch method {
            case "getMe": response = Self.ok(Self.userJSON(bot, isBot: true))
            case "getUpdates": response = await getUpdates(params)
            case "sendMessage": response = sendMessage(params)
            case "sendChatAction": response = sendChatAction(params)
            case "deleteWebhook": response = Self.ok(.bool(true))
            default: response = Self.error(404, "Not Found")
            }
        }
        if response.status.code != 200 {
            state.withLock { state in
                state.calls[index].errorCode = Int(response.status.code)
                wakeAll(&state)
            }
        }
        return response
    }

    private func getUpdates(_ params: [String: JSONValue]) async -> Response {
        let offset = Self.int(params["offset"])
        let timeout = min(max(Self.int(params["timeout"]) ?? 0, 0), 50)
        let limit = min(max(Self.int(params["limit"]) ?? 100, 1), 100)
        let confirm = { (state: inout State) in
            // An offset confirms (forgets) every update before it.
            if let offset { state.pending.removeAll { $0.id < offset } }
        }
        state.withLock { confirm(&$0) }
        let updates = await until(.now + .seconds(timeout)) { state -> [JSONValue]? in
            state.pending.isEmpty ? nil : state.pending.prefix(limit).map(\.update)
        }
        return Self.ok(.array(updates ?? []))
    }

    private func sendMessage(_ params: [String: JSONValue]) -> Response {
        guard let chatId = Self.int(params["chat_id"]) else { return Self.error(400, "Bad Request: chat_id is empty") }
        let text = params["text"]?.stringValue ?? ""
        let parseMode = params["parse_mode"]?.stringValue
        let visible: String
        if parseMode?.uppercased() == "HTML" {
            switch Self.parseHTML(text) {
            case .success(let plain): visible = plain
            case .failure(let problem): return Self.error(400, "Bad Request: can't parse entities: \(problem.message)")
            }
        } else {
            visible = text
        }
        if visible.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return Self.error(400, "Bad Request: message text is empty") }
        if visible.utf16.count > 4096 { return Self.error(400, "Bad Request: message is too long") }
        let replyTo = Self.int(params["reply_parameters"]?["message_id"]) ?? Self.int(params["reply_to_message_id"])
        let threadId = Self.int(params["message_thread_id"])
        let messageId = state.withLock { state in
            let id = state.nextMessageId
            state.nextMessageId += 1
            state.sent.append(
                SentMessage(
                    messageId: id, chatId: Int64(chatId), text: text, parseMode: parseMode, replyToMessageId: replyTo, threadId: threadId, visibleText: visible)
            )
            return id
        }
        var message: [String: JSONValue] = [
            "message_id": .int(messageId), "from": Self.userJSON(bot, isBot: true),
            "chat": .object(["id": .int(chatId), "type": .string(chatId < 0 ? "supergroup" : "private")]),
            "date": .int(Int(Date().timeIntervalSince1970)), "text": .string(visible),
        ]
        if let threadId { message["message_thread_id"] = .int(threadId) }
        return Self.ok(.object(message))
    }

    private func sendChatAction(_ params: [String: JSONValue]) -> Response {
        guard Self.int(params["chat_id"]) != nil else { return Self.error(400, "Bad Request: chat_id is empty") }
        let actions: Set = [
            "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice", "upload_document", "choose_sticker", "find_location",
        ]
        guard let action = params["action"]?.stringValue, actions.contains(action) else {
            return Self.error(400, "Bad Request: wrong parameter action in request")
        }
        return Self.ok(.bool(true))
    }

    // MARK: Waiting

    /// Re-checks `check` whenever the state changes, until it yields a value, the deadline passes or the server stops.
    private func until<T>(_ deadline: ContinuousClock.Instant, _ check: @escaping (inout State) -> T?) async -> T? {
        while true {
            var found: T? = nil
            var finished = false
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let registered = state.withLock { state -> Int? in
                    if let value = check(&state) {
                        found = value
                        return nil
                    }
                    if state.closed || ContinuousClock.now >= deadline {
                        finished = true
                        return nil
                    }
                    let id = state.nextWaiter
                    state.nextWaiter += 1
                    state.waiters[id] = (continuation, nil)
                    return id
                }
                guard let id = registered else { return continuation.resume() }
                let timer = Task {
                    try? await Task.sleep(until: deadline)
                    self.wake(id)
                }
                state.withLock { state in
                    if state.waiters[id] != nil { state.waiters[id]?.timer = timer } else { timer.cancel() }
                }
            }
            if found != nil || finished { return found }
        }
    }

    private func wake(_ id: Int) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.continuation.resume()
    }

    private func wakeAll(_ state: inout State) {
        for (_, waiter) in state.waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume()
        }
        state.waiters = [:]
    }

    // MARK: Wire helpers

    private static func userJSON(_ user: User, isBot: Bool) -> JSONValue {
        var json: [String: JSONValue] = ["id": .int(Int(user.id)), "is_bot": .bool(isBot), "first_name": .string(user.firstName)]
        if let username = user.username { json["username"] = .string(username) }
        return .object(json)
    }

    /// `mention` entities for `@username` words, offsets in UTF-16 code units as Telegram counts them.
    static func mentionEntities(in text: String) -> [JSONValue] {
        guard let pattern = try? NSRegularExpression(pattern: "(?<![A-Za-z0-9_])@[A-Za-z0-9_]{3,32}") else { return [] }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return pattern.matches(in: text, range: range).map { match in
            .object(["type": .string("mention"), "offset": .int(match.range.location), "length": .int(match.range.length)])
        }
    }

    private static func int(_ value: JSONValue?) -> Int? {
        if let int = value?.intValue { return int }
        return value?.stringValue.flatMap { Int($0) }
    }

    private static func ok(_ result: JSONValue) -> Response {
        json(200, .object(["ok": .bool(true), "result": result]))
    }

    private static func error(_ code: Int, _ description: String, retryAfter: Int? = nil, migrateTo: Int64? = nil) -> Response {
        var body: [String: JSONValue] = ["ok": .bool(false), "error_code": .int(code), "description": .string(description)]
        if let retryAfter { body["parameters"] = .object(["retry_after": .int(retryAfter)]) }
        if let migrateTo { body["parameters"] = .object(["migrate_to_chat_id": .int(Int(migrateTo))]) }
        return json(code, .object(body))
    }

    private static func response(for injected: Injected) -> Response {
        switch injected {
        case .unauthorized: error(401, "Unauthorized")
        case .tooManyRequests(let seconds): error(429, "Too Many Requests: retry after \(seconds)", retryAfter: seconds)
        case .conflict: error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
        case .badRequest(let description): error(400, "Bad Request: \(description)")
        case .cantParseEntities: error(400, "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0")
        case .migrated(let chatId): error(400, "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: chatId)
        }
    }

    private static func json(_ status: Int, _ value: JSONValue) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        var fields: HTTPFields = [:]
        fields[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
