// Sources/Runtime/Agents/Providers/OpenAICompletionsProvider.swift - the `openai-completions` API client

import AsyncHTTPClient
import Foundation
import ProtocolSupport

/// Streams `POST {baseUrl}/chat/completions` (OpenAI, OpenRouter, llama.cpp and other compatible servers).
public struct OpenAICompletionsProvider: ModelProvider {
    public let id: String
    public var baseURL: String
    public var apiKey: String?
    public var timeouts: ProviderTimeouts
    public var retry: ProviderRetryPolicy
    private let client: HTTPClient

    public init(
        id: String, baseURL: String, apiKey: String?, client: HTTPClient = .shared, timeouts: ProviderTimeouts = .init(), retry: ProviderRetryPolicy = .init()
    ) {
        self.id = id
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.client = client
        self.timeouts = timeouts
        self.retry = retry
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        var headers: [(String, String)] = []
        if let apiKey, !apiKey.isEmpty { headers.append(("authorization", "Bearer \(apiKey)")) }
        let provider = id
        return StreamingCall.stream(
            provider: id, client: client, url: joinURL(baseURL, "chat/completions"), headers: headers, json: Self.body(for: request),
            timeouts: timeouts, retry: retry, translator: { OpenAITranslator(provider: provider) }
        )
    }

    /// The request body in the Chat Completions shape.
    static func body(for request: ModelRequest) -> JSONValue {
        var messages: [JSONValue] = []
        for message in request.messages {
            var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
            if message.role == .assistant, !message.toolCalls.isEmpty {
                object["tool_calls"] = .array(
                    message.toolCalls.map { call in
                        ["id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(call.arguments)]]
                    })
            }
            if message.role == .tool, let callId = message.toolCallId { object["tool_call_id"] = .string(callId) }
            messages.append(.object(object))
        }
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": .array(messages),
            "stream": true,
            "stream_options": ["include_usage": true],
        ]
        if !request.tools.isEmpty {
            body["tools"] = .array(
                request.tools.map { tool in
                    ["type": "function", "function": ["name": .string(tool.name), "description": .string(tool.description), "parameters": tool.parameters]]
                })
        }
        if let maxTokens = request.maxTokens { body["max_tokens"] = .int(maxTokens) }
        if let temperature = request.temperature { body["temperature"] = .number(temperature) }
        return .object(body)
    }
}

/// Chat Completions chunks → events. Tool calls arrive as `delta.tool_calls[]` fragments keyed by
/// `index`: the first fragment of an index carries id and name, later ones append to `arguments`.
struct OpenAITranslator: SSETranslator {
    let provider: String
    private(set) var isDone = false
    private var calls: [Int: ModelToolCall] = [:]
    private var callOrder: [Int] = []
    private var stopReason: ModelStopReason?

    init(provider: String) { self.provider = provider }

    /// `[DONE]`, with spaces or tabs around it. Checked on every chunk, so without Foundation's
    /// `trimmingCharacters` (which bridged each chunk through NSString: 6% of a `/v1/responses` run's CPU).
    static func isDoneMarker(_ data: String) -> Bool {
        var text = Substring(data)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text == "[DONE]"
    }

    mutating func translate(_ event: SSEEvent) throws -> [ModelEvent] {
        if Self.isDoneMarker(event.data) {
            isDone = true
            return try finish()
        }
        guard let chunk = try? JSONValue(parsing: event.data) else {
            throw ProviderError.malformed(provider: provider, message: "not JSON: \(event.data.prefix(200))")
        }
        if let error = chunk["error"] {
            throw ProviderError.upstream(provider: provider, message: error["message"]?.stringValue ?? error.stringValue ?? "\(error)")
        }
        var events: [ModelEvent] = []
        for choice in chunk["choices"]?.arrayValue ?? [] {
            let delta = choice["delta"]
            if let text = delta?["content"]?.stringValue, !text.isEmpty { events.append(.textDelta(text)) }
            for fragment in delta?["tool_calls"]?.arrayValue ?? [] {
                let index = fragment["index"]?.intValue ?? 0
                let function = fragment["function"]
                if calls[index] == nil {
                    let id = fragment["id"]?.stringValue ?? "call_\(index)"
                    let name = function?["name"]?.stringValue ?? ""
                    calls[index] = ModelToolCall(id: id, name: name, arguments: "")
                    callOrder.append(index)
                    events.append(.toolCallStarted(id: id, name: name))
                }
                if let arguments = function?["arguments"]?.stringValue, !arguments.isEmpty {
                    calls[index]!.arguments += arguments
                    events.append(.toolCallArgumentsDelta(id: calls[index]!.id, delta: arguments))
                }
            }
            if let reason = choice["finish_reason"]?.stringValue {
                stopReason = ModelStopReason(upstream: reason)
                events += finishCalls()
            }
        }
        if let usage = chunk["usage"], usage != .null {
            events.append(
                .usage(
                    ModelUsage(
                        inputTokens: usage["prompt_tokens"]?.intValue ?? 0,
                        outputTokens: usage["completion_tokens"]?.intValue ?? 0
                    )))
        }
        return events
    }

    mutating func finish() throws -> [ModelEvent] {
        guard let stopReason else {
            if isDone { return finishCalls() + [.finish(.endTurn)] }
            throw ProviderError.transport(provider: provider, message: "the stream ended before the model finished")
        }
        self.stopReason = nil
        return finishCalls() + [.finish(stopReason)]
    }

    private mutating func finishCalls() -> [ModelEvent] {
        defer {
            calls.removeAll()
            callOrder.removeAll()
        }
        return callOrder.compactMap { calls[$0] }.map { .toolCallFinished($0) }
    }
}

/// `base` + `/` + `path`, tolerating a trailing slash on `base`.
func joinURL(_ base: String, _ path: String) -> String {
    base.hasSuffix("/") ? base + path : base + "/" + path
}
