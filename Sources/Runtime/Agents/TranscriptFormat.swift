// Sources/Runtime/Agents/TranscriptFormat.swift - transcript messages in upstream's shape, and back to model messages

import Foundation
import Generated
import ProtocolSupport

/// Transcript rows are stored as upstream writes them (`{role, content:[{type:"text", text}], timestamp}`,
/// tool calls as `toolCall` blocks, results as `toolResult` messages), so `chat.history` and
/// `sessions export` serve them unchanged and a model conversation is rebuilt from them.
enum TranscriptFormat {
    static func user(_ text: String, at timestamp: Int) -> JSONValue {
        ["role": "user", "content": [textBlock(text)], "timestamp": .int(timestamp)]
    }

    static func assistant(
        _ text: String, toolCalls: [ModelToolCall] = [], at timestamp: Int, stopReason: String? = nil, usage: ChatUsage? = nil,
        provider: String? = nil, model: String? = nil, errorMessage: String? = nil, label: String? = nil
    ) -> JSONValue {
        var content: [JSONValue] = text.isEmpty ? [] : [textBlock(text)]
        for call in toolCalls {
            content.append(["type": "toolCall", "id": .string(call.id), "name": .string(call.name), "arguments": arguments(call.arguments)])
        }
        var message: [String: JSONValue] = ["role": "assistant", "content": .array(content), "timestamp": .int(timestamp)]
        if let stopReason { message["stopReason"] = .string(stopReason) }
        if let usage {
            message["usage"] = [
                "input": .int(usage.input), "output": .int(usage.output), "totalTokens": .int(usage.totalTokens),
            ]
        }
        if let provider { message["provider"] = .string(provider) }
        if let model { message["model"] = .string(model) }
        if let errorMessage { message["errorMessage"] = .string(errorMessage) }
        if let label { message["label"] = .string(label) }
        return .object(message)
    }

    static func toolResult(callId: String, name: String, text: String, isError: Bool, at timestamp: Int) -> JSONValue {
        [
            "role": "toolResult", "toolCallId": .string(callId), "toolName": .string(name), "content": [textBlock(text)],
            "isError": .bool(isError), "timestamp": .int(timestamp),
        ]
    }

    /// What `chat` events carry: the assistant text so far.
    static func chatMessage(_ text: String, at timestamp: Int) -> JSONValue {
        ["role": "assistant", "content": [textBlock(text)], "timestamp": .int(timestamp)]
    }

    /// The concatenated text blocks of a message.
    static func text(of message: JSONValue) -> String { TranscriptText.rawText(of: message) }

    /// Rebuilds the conversation a model sees from stored messages (oldest first).
    static func modelMessages(_ messages: [JSONValue]) -> [ModelMessage] {
        var out: [ModelMessage] = []
        for message in messages {
            switch message["role"]?.stringValue {
            case "user":
                out.append(ModelMessage(role: .user, content: text(of: message)))
            case "assistant":
                let calls = (message["content"]?.arrayValue ?? []).compactMap { block -> ModelToolCall? in
                    guard block["type"]?.stringValue == "toolCall", let id = block["id"]?.stringValue, let name = block["name"]?.stringValue else { return nil }
                    return ModelToolCall(id: id, name: name, arguments: argumentsText(block["arguments"]))
                }
                let content = text(of: message)
                if content.isEmpty && calls.isEmpty { continue }
                out.append(ModelMessage(role: .assistant, content: content, toolCalls: calls))
            case "toolResult":
                guard let id = message["toolCallId"]?.stringValue else { continue }
                out.append(ModelMessage(role: .tool, content: text(of: message), toolCallId: id))
            default:
                continue
            }
        }
        return out
    }

    private static func textBlock(_ text: String) -> JSONValue { ["type": "text", "text": .string(text)] }

    /// Tool arguments are stored as the object the model sent (its raw text when it was not JSON).
    static func arguments(_ text: String) -> JSONValue {
        if text.isEmpty { return .object([:]) }
        return (try? WireJSON.decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
    }

    private static func argumentsText(_ value: JSONValue?) -> String {
        guard let value else { return "{}" }
        if let text = value.stringValue { return text }
        return (try? String(decoding: WireJSON.encode(value), as: UTF8.self)) ?? "{}"
    }
}
