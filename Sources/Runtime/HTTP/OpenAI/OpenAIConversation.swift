// Sources/Runtime/HTTP/OpenAI/OpenAIConversation.swift - OpenAI message objects as the model conversation of a run

import ProtocolSupport

/// The conversation a client sends with each OpenAI-compatible request (it keeps the history, not
/// us): `system`/`developer` text becomes the run's extra system prompt, `user`/`assistant`/`tool`
/// (legacy `function` = `tool`) messages become the model input in order, and the last user
/// message is the run's `message` (what the transcript records).
struct OpenAIConversation: Sendable, Equatable {
    var messages: [ModelMessage] = []
    var systemParts: [String] = []
    /// Text of the last user message; nil when there is none.
    var lastUserMessage: String?

    var extraSystemPrompt: String? { systemParts.isEmpty ? nil : systemParts.joined(separator: "\n\n") }

    static let imageOnlyPlaceholder = "User sent image(s) with no text."

    /// Builds the conversation from a Chat Completions `messages` array; `field` names it in errors.
    static func parse(_ value: JSONValue?, field: String = "messages") throws(HTTPRouteError) -> OpenAIConversation {
        guard case .array(let items) = value else { throw .invalid("`\(field)` must be an array of message objects.") }
        var conversation = OpenAIConversation()
        for (index, item) in items.enumerated() {
            try conversation.add(item, at: "\(field)[\(index)]")
        }
        return conversation
    }

    /// Appends one message object (`{role, content, tool_calls?, tool_call_id?, name?}`).
    mutating func add(_ item: JSONValue, at path: String) throws(HTTPRouteError) {
        guard case .object = item else { throw .invalid("`\(path)` must be an object.") }
        guard let role = item["role"]?.stringValue else { throw .invalid("`\(path).role` must be a string.") }
        let text = try Self.text(item["content"], at: "\(path).content")
        switch role.trimmingCharacters(in: .whitespaces) {
        case "system", "developer":
            if !text.isEmpty { systemParts.append(text) }
        case "user":
            let content = text.isEmpty && Self.hasImage(item["content"]) ? Self.imageOnlyPlaceholder : text
            messages.append(ModelMessage(role: .user, content: content))
            lastUserMessage = content
        case "assistant":
            let calls = try Self.toolCalls(item["tool_calls"], at: "\(path).tool_calls")
            if text.isEmpty && calls.isEmpty { return }
            messages.append(ModelMessage(role: .assistant, content: text, toolCalls: calls))
        case "tool", "function":
            let callId = item["tool_call_id"]
            guard callId == nil || callId == .null || callId?.stringValue != nil else { throw .invalid("`\(path).tool_call_id` must be a string.") }
            messages.append(ModelMessage(role: .tool, content: text, toolCallId: callId?.stringValue ?? item["name"]?.stringValue))
        default:
            throw .invalid("`\(path).role` \"\(role)\" is not supported (use system, developer, user, assistant or tool).")
        }
    }

    /// A content string, or the text of its `text`/`input_text`/`output_text` parts joined by newlines
    /// (other parts, such as images, carry no text).
    static func text(_ content: JSONValue?, at path: String) throws(HTTPRouteError) -> String {
        switch content {
        case nil, .null: return ""
        case .string(let text): return text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .array(let parts):
            var texts: [String] = []
            for (index, part) in parts.enumerated() {
                guard case .object = part else { throw .invalid("`\(path)[\(index)]` must be a content part object.") }
                let type = part["type"]?.stringValue
                if type == "text" || type == "input_text" || type == "output_text" {
                    guard let text = part["text"]?.stringValue else { throw .invalid("`\(path)[\(index)].text` must be a string.") }
                    texts.append(text)
                } else if let text = part["input_text"]?.stringValue {
                    texts.append(text)
                }
            }
            return texts.filter { !$0.isEmpty }.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        default:
            throw .invalid("`\(path)` must be a string or an array of content parts.")
        }
    }

    static func hasImage(_ content: JSONValue?) -> Bool {
        guard case .array(let parts) = content else { return false }
        return parts.contains { ["image_url", "input_image"].contains($0["type"]?.stringValue ?? "") }
    }

    /// `[{id, type:"function", function:{name, arguments}}]`; arguments may also come as an object.
    static func toolCalls(_ value: JSONValue?, at path: String) throws(HTTPRouteError) -> [ModelToolCall] {
        switch value {
        case nil, .null: return []
        case .array(let items):
            var calls: [ModelToolCall] = []
            for (index, item) in items.enumerated() {
                guard let id = item["id"]?.stringValue, let function = item["function"], let name = function["name"]?.stringValue, !name.isEmpty else {
                    throw .invalid("`\(path)[\(index)]` must be {id, type: \"function\", function: {name, arguments}}.")
                }
                let arguments: String
                switch function["arguments"] {
                case nil, .null: arguments = "{}"
                case .string(let text): arguments = text
                case .some(let other): arguments = String(decoding: (try? WireJSON.encode(other)) ?? Array("{}".utf8), as: UTF8.self)
                }
                calls.append(ModelToolCall(id: id, name: name, arguments: arguments))
            }
            return calls
        default:
            throw .invalid("`\(path)` must be an array.")
        }
    }
}
