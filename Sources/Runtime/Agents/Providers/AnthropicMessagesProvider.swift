// Sources/Runtime/Agents/Providers/AnthropicMessagesProvider.swift - the `anthropic-messages` API client

import AsyncHTTPClient
import Foundation
import ProtocolSupport

/// Streams `POST {baseUrl}/messages` (Anthropic's Messages API).
public struct AnthropicMessagesProvider: ModelProvider {
    public let id: String
    public var baseURL: String
    public var apiKey: String?
    public var timeouts: ProviderTimeouts
    public var retry: ProviderRetryPolicy
    private let client: HTTPClient
    /// The Messages API requires `max_tokens`; used when the request has none.
    public static let defaultMaxTokens = 4096

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
        var headers: [(String, String)] = [("anthropic-version", "2023-06-01")]
        if let apiKey, !apiKey.isEmpty { headers.append(("x-api-key", apiKey)) }
        let provider = id
        return StreamingCall.stream(
            provider: id, client: client, url: joinURL(baseURL, "messages"), headers: headers, json: Self.body(for: request),
            timeouts: timeouts, retry: retry, translator: { AnthropicTranslator(provider: provider) }
        )
    }

    /// The request body in the Messages shape: system text goes top-level, tool results become
    /// `tool_result` blocks of a user turn, assistant tool calls become `tool_use` blocks.
    static func body(for request: ModelRequest) -> JSONValue {
        var system: [String] = []
        var messages: [JSONValue] = []
        var pendingResults: [JSONValue] = []
        func flushResults() {
            guard !pendingResults.isEmpty else { return }
            messages.append(["role": "user", "content": .array(pendingResults)])
            pendingResults.removeAll()
        }
        for message in request.messages {
            switch message.role {
            case .system:
                system.append(message.content)
            case .tool:
                pendingResults.append(["type": "tool_result", "tool_use_id": .string(message.toolCallId ?? ""), "content": .string(message.content)])
            case .user:
                flushResults()
                messages.append(["role": "user", "content": .string(message.content)])
            case .assistant:
                flushResults()
                if message.toolCalls.isEmpty {
                    messages.append(["role": "assistant", "content": .string(message.content)])
                } else {
                    var blocks: [JSONValue] = []
                    if !message.content.isEmpty { blocks.append(["type": "text", "text": .string(message.content)]) }
                    for call in message.toolCalls {
                        let input = (try? JSONValue(parsing: call.arguments)) ?? .object([:])
                        blocks.append(["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": input])
                    }
                    messages.append(["role": "assistant", "content": .array(blocks)])
                }
            }
        }
        flushResults()
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": .array(messages),
            "max_tokens": .int(request.maxTokens ?? defaultMaxTokens),
            "stream": true,
        ]
        if !system.isEmpty { body["system"] = .string(system.joined(separator: "\n\n")) }
        if !request.tools.isEmpty {
            body["tools"] = .array(
                request.tools.map { tool in
                    ["name": .string(tool.name), "description": .string(tool.description), "input_schema": tool.parameters]
                })
        }
        if let temperature = request.temperature { body["temperature"] = .number(temperature) }
        return .object(body)
    }
}

/// Messages API events → events. A `tool_use` block's input arrives as `input_json_delta`
/// fragments and is complete at its `content_block_stop`.
struct AnthropicTranslator: SSETranslator {
    let provider: String
    private(set) var isDone = false
    private var toolBlocks: [Int: ModelToolCall] = [:]
    private var inputTokens = 0
    private var outputTokens = 0
    private var stopReason: ModelStopReason?

    init(provider: String) { self.provider = provider }

    mutating func translate(_ event: SSEEvent) throws -> [ModelEvent] {
        guard let payload = try? JSONValue(parsing: event.data) else {
            throw ProviderError.malformed(provider: provider, message: "not JSON: \(event.data.prefix(200))")
        }
        let type = event.event ?? payload["type"]?.stringValue ?? ""
        switch type {
        case "message_start":
            let usage = payload["message"]?["usage"]
            inputTokens = usage?["input_tokens"]?.intValue ?? 0
            outputTokens = usage?["output_tokens"]?.intValue ?? 0
            return []
        case "content_block_start":
            let index = payload["index"]?.intValue ?? 0
            let block = payload["content_block"]
            switch block?["type"]?.stringValue {
            case "tool_use":
                let call = ModelToolCall(id: block?["id"]?.stringValue ?? "toolu_\(index)", name: block?["name"]?.stringValue ?? "", arguments: "")
                toolBlocks[index] = call
                return [.toolCallStarted(id: call.id, name: call.name)]
            case "text":
                let text = block?["text"]?.stringValue ?? ""
                return text.isEmpty ? [] : [.textDelta(text)]
            default:
                return []
            }
        case "content_block_delta":
            let index = payload["index"]?.intValue ?? 0
            let delta = payload["delta"]
            switch delta?["type"]?.stringValue {
            case "text_delta":
                let text = delta?["text"]?.stringValue ?? ""
                return text.isEmpty ? [] : [.textDelta(text)]
            case "input_json_delta":
                let fragment = delta?["partial_json"]?.stringValue ?? ""
                guard !fragment.isEmpty, toolBlocks[index] != nil else { return [] }
                toolBlocks[index]!.arguments += fragment
                return [.toolCallArgumentsDelta(id: toolBlocks[index]!.id, delta: fragment)]
            default:
                return []
            }
        case "content_block_stop":
            let index = payload["index"]?.intValue ?? 0
            guard var call = toolBlocks.removeValue(forKey: index) else { return [] }
            if call.arguments.isEmpty { call.arguments = "{}" }
            return [.toolCallFinished(call)]
        case "message_delta":
            if let reason = payload["delta"]?["stop_reason"]?.stringValue { stopReason = ModelStopReason(upstream: reason) }
            if let usage = payload["usage"] {
                inputTokens = usage["input_tokens"]?.intValue ?? inputTokens
                outputTokens = usage["output_tokens"]?.intValue ?? outputTokens
            }
            return [.usage(ModelUsage(inputTokens: inputTokens, outputTokens: outputTokens))]
        case "message_stop":
            isDone = true
            return [.finish(stopReason ?? .endTurn)]
        case "error":
            throw ProviderError.upstream(provider: provider, message: payload["error"]?["message"]?.stringValue ?? event.data)
        default:
            return []  // ping and future event types
        }
    }

    mutating func finish() throws -> [ModelEvent] {
        throw ProviderError.transport(provider: provider, message: "the stream ended before message_stop")
    }
}
