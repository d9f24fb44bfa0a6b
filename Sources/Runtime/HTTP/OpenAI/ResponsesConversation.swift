// Sources/Runtime/HTTP/OpenAI/ResponsesConversation.swift - the model input of a Responses request

import Foundation
import ProtocolSupport

/// What a request asks the model: the session's stored turns (so `previous_response_id`, `user` and
/// `x-openclaw-session-key` continue a conversation) followed by the request's input items. The most
/// recent `user` message or `function_call_output` is the current turn: its text is what the
/// transcript records as the user's message.
struct ResponsesConversation: Sendable, Equatable {
    /// A client tool result answering a call the session's transcript holds (recorded as a `toolResult`).
    struct ToolResult: Sendable, Equatable {
        var callId: String
        var name: String
        var output: String
    }

    var messages: [ModelMessage]
    var currentMessage: String
    var extraSystemPrompt: String?
    var toolResults: [ToolResult]

    static let missingInput = "Missing user message in `input`."

    /// - Parameter history: the session's stored transcript messages, oldest first.
    static func build(_ request: ResponsesRequest, history: [JSONValue]) throws(HTTPRouteError) -> ResponsesConversation {
        var messages = storedTurns(history)
        var system: [String] = request.instructions.map { [$0] } ?? []
        let storedCalls = Dictionary(
            messages.flatMap(\.toolCalls).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }
        )
        let answered = Set(messages.compactMap(\.toolCallId))
        var current: String?
        var toolResults: [ToolResult] = []
        for item in request.items {
            switch item {
            case .message(let role, let text):
                switch role {
                case "system", "developer":
                    if !text.isEmpty { system.append(text) }
                case "assistant":
                    messages.append(ModelMessage(role: .assistant, content: text))
                    current = nil
                default:
                    messages.append(ModelMessage(role: .user, content: text))
                    current = text
                }
            case .functionCall(let callId, let name, let arguments):
                // Already in the transcript (the client replays what `previous_response_id` covers): keep one copy.
                if storedCalls[callId] != nil { continue }
                let call = ModelToolCall(id: callId, name: name, arguments: arguments)
                // Calls of one turn belong to one assistant message (after its text, if any).
                if let last = messages.last, last.role == .assistant {
                    messages[messages.count - 1].toolCalls.append(call)
                } else {
                    messages.append(ModelMessage(role: .assistant, content: "", toolCalls: [call]))
                }
            case .functionCallOutput(let callId, let output):
                messages.append(ModelMessage(role: .tool, content: output, toolCallId: callId))
                current = output
                if let name = storedCalls[callId], !answered.contains(callId) {
                    toolResults.append(ToolResult(callId: callId, name: name, output: output))
                }
            }
        }
        if let tool = mustCallInstruction(request) { system.append(tool) }
        guard let current else { throw .invalid(missingInput) }
        return ResponsesConversation(
            messages: messages, currentMessage: current, extraSystemPrompt: system.isEmpty ? nil : system.joined(separator: "\n\n"),
            toolResults: toolResults
        )
    }

    /// The stored turns as model messages. A tool output that was the current turn is stored twice, as
    /// the `toolResult` and as the user's message; the model sees it once.
    static func storedTurns(_ history: [JSONValue]) -> [ModelMessage] {
        var out: [ModelMessage] = []
        for message in TranscriptFormat.modelMessages(history) {
            if message.role == .user, let previous = out.last, previous.role == .tool, previous.content == message.content { continue }
            out.append(message)
        }
        return out
    }

    /// `tool_choice: required` or a pinned function tells the model it must call a tool.
    static func mustCallInstruction(_ request: ResponsesRequest) -> String? {
        switch request.toolChoice {
        case .required: "You must call one of the provided tools before answering."
        case .function(let name): "You must call the tool \"\(name)\"."
        case .auto, .none: nil
        }
    }
}
