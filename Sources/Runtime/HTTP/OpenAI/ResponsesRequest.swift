// Sources/Runtime/HTTP/OpenAI/ResponsesRequest.swift - a `POST /v1/responses` body, checked and typed

import Foundation
import ProtocolSupport

/// The fields of an OpenResponses request the gateway acts on (reference/http.md §2). Anything of the
/// wrong type is a 400 `invalid_request_error` naming the field; unknown and "accepted, ignored"
/// fields (`reasoning`, `metadata`, `store`, `truncation`, `max_tool_calls` …) pass through unread.
struct ResponsesRequest: Sendable {
    /// One input item, reduced to what a model conversation needs.
    enum Item: Sendable, Equatable {
        case message(role: String, text: String)
        case functionCall(callId: String, name: String, arguments: String)
        case functionCallOutput(callId: String, output: String)
    }

    /// `tool_choice`.
    enum ToolChoice: Sendable, Equatable {
        case auto, none, required
        case function(String)
    }

    var model: String?
    var items: [Item]
    var instructions: String?
    var tools: [ModelTool]
    var toolChoice: ToolChoice
    var maxOutputTokens: Int?
    var stream: Bool
    var user: String?
    var previousResponseId: String?

    init(_ body: JSONValue) throws(HTTPRouteError) {
        model = try Self.string(body, "model")
        instructions = try Self.string(body, "instructions")
        user = try Self.string(body, "user")
        previousResponseId = try Self.string(body, "previous_response_id")
        stream = try Self.bool(body, "stream") ?? false
        if let value = body["max_output_tokens"], value != .null {
            guard let tokens = value.intValue, tokens > 0 else { throw .invalid("max_output_tokens: expected a positive integer") }
            maxOutputTokens = tokens
        }
        items = try Self.items(body["input"])
        tools = try Self.tools(body["tools"])
        toolChoice = try Self.toolChoice(body["tool_choice"], tools: tools)
        if toolChoice == .none { tools = [] }
    }

    /// The tools offered to the model (`tool_choice: {type:"function", name}` narrows them to that one).
    var offeredTools: [ModelTool] {
        if case .function(let name) = toolChoice { return tools.filter { $0.name == name } }
        return tools
    }

    // MARK: - Fields

    private static func string(_ body: JSONValue, _ key: String) throws(HTTPRouteError) -> String? {
        guard let value = body[key], value != .null else { return nil }
        guard let text = value.stringValue else { throw .invalid("\(key): expected a string") }
        return text
    }

    private static func bool(_ body: JSONValue, _ key: String) throws(HTTPRouteError) -> Bool? {
        guard let value = body[key], value != .null else { return nil }
        guard let flag = value.boolValue else { throw .invalid("\(key): expected a boolean") }
        return flag
    }

    private static func items(_ input: JSONValue?) throws(HTTPRouteError) -> [Item] {
        guard let input, input != .null else { throw .invalid("input: required") }
        if let text = input.stringValue { return [.message(role: "user", text: text)] }
        guard let list = input.arrayValue else { throw .invalid("input: expected a string or an array of items") }
        var items: [Item] = []
        for (index, entry) in list.enumerated() {
            guard entry.objectValue != nil else { throw .invalid("input.\(index): expected an object") }
            // A bare `{role, content}` is a message, as OpenAI's easy input form allows.
            let type = entry["type"]?.stringValue ?? (entry["role"] != nil ? "message" : "")
            switch type {
            case "message":
                guard let role = entry["role"]?.stringValue, ["system", "developer", "user", "assistant"].contains(role) else {
                    throw .invalid("input.\(index).role: expected system, developer, user or assistant")
                }
                items.append(.message(role: role, text: try text(entry["content"], at: "input.\(index).content")))
            case "function_call":
                guard let callId = entry["call_id"]?.stringValue, let name = entry["name"]?.stringValue else {
                    throw .invalid("input.\(index): function_call needs call_id and name")
                }
                let arguments = entry["arguments"]?.stringValue ?? "{}"
                items.append(.functionCall(callId: callId, name: name, arguments: arguments))
            case "function_call_output":
                guard let callId = entry["call_id"]?.stringValue else { throw .invalid("input.\(index).call_id: expected a string") }
                items.append(.functionCallOutput(callId: callId, output: try output(entry["output"], at: "input.\(index).output")))
            case "reasoning", "item_reference":
                continue
            default:
                throw .invalid("input.\(index).type: unsupported item type \"\(type)\"")
            }
        }
        return items
    }

    /// Message content: a string, or parts whose `input_text`/`output_text`/`text` texts are joined.
    /// Images and files are not read by this gateway and are skipped.
    private static func text(_ content: JSONValue?, at path: String) throws(HTTPRouteError) -> String {
        guard let content, content != .null else { return "" }
        if let text = content.stringValue { return text }
        guard let parts = content.arrayValue else { throw .invalid("\(path): expected a string or an array of parts") }
        var texts: [String] = []
        for (index, part) in parts.enumerated() {
            guard let type = part["type"]?.stringValue else { throw .invalid("\(path).\(index).type: expected a string") }
            switch type {
            case "input_text", "output_text", "text":
                guard let text = part["text"]?.stringValue else { throw .invalid("\(path).\(index).text: expected a string") }
                texts.append(text)
            case "input_image", "input_file", "refusal":
                continue
            default:
                throw .invalid("\(path).\(index).type: unsupported content part \"\(type)\"")
            }
        }
        return texts.joined(separator: "\n")
    }

    /// `function_call_output.output`: a string, or output parts whose texts are joined.
    private static func output(_ value: JSONValue?, at path: String) throws(HTTPRouteError) -> String {
        guard let value, value != .null else { throw .invalid("\(path): required") }
        if let text = value.stringValue { return text }
        if value.arrayValue != nil { return try text(value, at: path) }
        throw .invalid("\(path): expected a string or an array of parts")
    }

    /// Function tools in the flat Responses form, or the Chat-style nested `function:{…}` older clients send.
    private static func tools(_ value: JSONValue?) throws(HTTPRouteError) -> [ModelTool] {
        guard let value, value != .null else { return [] }
        guard let list = value.arrayValue else { throw .invalid("tools: expected an array") }
        var tools: [ModelTool] = []
        for (index, entry) in list.enumerated() {
            guard entry["type"]?.stringValue == "function" else { throw .invalid("tools.\(index).type: only function tools are supported") }
            let spec = entry["function"]?.objectValue != nil ? entry["function"]! : entry
            guard let name = spec["name"]?.stringValue, !name.isEmpty else { throw .invalid("tools.\(index).name: expected a non-empty string") }
            if tools.contains(where: { $0.name == name }) { throw .invalid("tools.\(index).name: duplicate tool \"\(name)\"") }
            if BuiltinTools.modelTools.contains(where: { $0.name == name }) {
                throw .invalid("invalid tool configuration: \"\(name)\" is a built-in tool")
            }
            let parameters = spec["parameters"].flatMap { $0 == .null ? nil : $0 } ?? ["type": "object", "properties": [:]]
            guard parameters.objectValue != nil else { throw .invalid("tools.\(index).parameters: expected an object") }
            tools.append(ModelTool(name: name, description: spec["description"]?.stringValue ?? "", parameters: parameters))
        }
        return tools
    }

    private static func toolChoice(_ value: JSONValue?, tools: [ModelTool]) throws(HTTPRouteError) -> ToolChoice {
        guard let value, value != .null else { return .auto }
        if let text = value.stringValue {
            switch text {
            case "auto": return .auto
            case "none": return .none
            case "required":
                guard !tools.isEmpty else { throw .invalid("tool_choice: \"required\" needs at least one tool") }
                return .required
            default: throw .invalid("tool_choice: expected auto, none, required or a function")
            }
        }
        guard value["type"]?.stringValue == "function",
            let name = value["name"]?.stringValue ?? value["function"]?["name"]?.stringValue
        else { throw .invalid("tool_choice: expected auto, none, required or {type:\"function\", name}") }
        guard tools.contains(where: { $0.name == name }) else { throw .invalid("tool_choice: unknown tool \"\(name)\"") }
        return .function(name)
    }
}
