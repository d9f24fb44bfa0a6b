// Sources/Runtime/HTTP/OpenAI/ChatCompletionsResponse.swift - the JSON of a chat completion and of its stream chunks

import Foundation
import Generated
import ProtocolSupport

/// Builds OpenAI's `chat.completion` object and `chat.completion.chunk` frames for one run.
struct ChatCompletionsResponse: Sendable {
    static let emptyAnswer = "No response from OpenClaw."
    static let streamError = "Error: internal error"

    let id: String
    let model: String
    let created: Int

    init(id: String, model: String, created: Int = Int(Date().timeIntervalSince1970)) {
        self.id = id
        self.model = model
        self.created = created
    }

    /// The non-streaming answer: the text (or the placeholder) and any client tool calls.
    func completion(_ outcome: RunOutcome) -> JSONValue {
        var message: JSONValue = ["role": "assistant"]
        let calls = outcome.pendingToolCalls
        if calls.isEmpty {
            message = message.with("content", .string(outcome.text.isEmpty ? Self.emptyAnswer : outcome.text))
        } else {
            message = message.with("content", .string(outcome.text)).with("tool_calls", .array(calls.map { Self.toolCall($0) }))
        }
        return [
            "id": .string(id), "object": "chat.completion", "created": .int(created), "model": .string(model),
            "choices": [["index": 0, "message": message, "finish_reason": .string(calls.isEmpty ? "stop" : "tool_calls")]],
            "usage": Self.usage(outcome.usage),
        ]
    }

    /// One stream frame with a single choice.
    func chunk(delta: JSONValue, finishReason: String? = nil) -> JSONValue {
        [
            "id": .string(id), "object": "chat.completion.chunk", "created": .int(created), "model": .string(model),
            "choices": [["index": 0, "delta": delta, "finish_reason": finishReason.map(JSONValue.string) ?? .null]],
        ]
    }

    /// The frame `stream_options.include_usage` asks for: no choices, only the counts.
    func usageChunk(_ usage: ChatUsage?) -> JSONValue {
        [
            "id": .string(id), "object": "chat.completion.chunk", "created": .int(created), "model": .string(model),
            "choices": [], "usage": Self.usage(usage),
        ]
    }

    /// A tool call as it appears in `message.tool_calls` (and, with `index`, in a stream delta).
    static func toolCall(_ call: ModelToolCall, index: Int? = nil) -> JSONValue {
        var value: JSONValue = [
            "id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
        ]
        if let index { value = value.with("index", .int(index)) }
        return value
    }

    static func usage(_ usage: ChatUsage?) -> JSONValue {
        let input = usage?.input ?? 0
        let output = usage?.output ?? 0
        return ["prompt_tokens": .int(input), "completion_tokens": .int(output), "total_tokens": .int(usage?.totalTokens ?? input + output)]
    }
}

extension JSONValue {
    /// This object with `key` set to `value`.
    fileprivate func with(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members[key] = value
        return .object(members)
    }
}
