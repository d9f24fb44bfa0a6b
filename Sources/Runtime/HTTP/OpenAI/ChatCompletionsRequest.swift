// Sources/Runtime/HTTP/OpenAI/ChatCompletionsRequest.swift - a `/v1/chat/completions` body, checked field by field

import ProtocolSupport

/// The fields of a Chat Completions request the gateway reads (reference/http.md §1). Every field
/// is type-checked, so a client learns which one is wrong instead of getting a vague failure;
/// sampling options are range-checked but the agent's own settings decide them.
struct ChatCompletionsRequest: Sendable {
    /// How the client constrains its own tools.
    enum ToolChoice: Sendable, Equatable {
        case auto, none, required
        case function(String)
    }

    /// Echoed in every answer; `openclaw` when the client sent none.
    var model = "openclaw"
    var modelGiven: String?
    var stream = false
    var includeUsage = false
    var user: String?
    var conversation = OpenAIConversation()
    var tools: [ModelTool] = []
    var toolChoice = ToolChoice.auto
    var maxTokens: Int?

    init(_ body: JSONValue) throws(HTTPRouteError) {
        modelGiven = try Self.string(body["model"], "model")
        if let modelGiven { model = modelGiven }
        stream = try Self.bool(body["stream"], "stream") ?? false
        switch body["stream_options"] {
        case nil, .null: break
        case .object: includeUsage = try Self.bool(body["stream_options"]?["include_usage"], "stream_options.include_usage") ?? false
        default: throw .invalid("`stream_options` must be an object.")
        }
        user = try Self.string(body["user"], "user")
        conversation = try OpenAIConversation.parse(body["messages"])
        tools = try Self.tools(body["tools"])
        toolChoice = try Self.toolChoice(body["tool_choice"], tools: tools)
        let maxCompletionTokens = try Self.positiveInt(body["max_completion_tokens"], "max_completion_tokens")
        let legacyMaxTokens = try Self.positiveInt(body["max_tokens"], "max_tokens")
        maxTokens = maxCompletionTokens ?? legacyMaxTokens
        try Self.range(body["temperature"], "temperature", 0...2)
        try Self.range(body["top_p"], "top_p", 0...1)
        try Self.range(body["frequency_penalty"], "frequency_penalty", -2...2)
        try Self.range(body["presence_penalty"], "presence_penalty", -2...2)
        if let seed = body["seed"], seed != .null, seed.intValue == nil { throw .invalid("`seed` must be an integer.") }
        try Self.stop(body["stop"])
    }

    /// The tools the model is offered: all of them, none, or the pinned one.
    var offeredTools: [ModelTool] {
        switch toolChoice {
        case .auto, .required: tools
        case .none: []
        case .function(let name): tools.filter { $0.name == name }
        }
    }

    /// For `required` and a pinned function: the instruction that makes the model call it.
    var toolInstruction: String? {
        switch toolChoice {
        case .auto, .none: nil
        case .required: "You must call one of the provided client tools (\(tools.map(\.name).joined(separator: ", "))) in this turn."
        case .function(let name): "You must call the client tool \"\(name)\" in this turn."
        }
    }

    /// Whether the run ended the way `tool_choice` demands.
    func isSatisfied(by calls: [ModelToolCall]) -> Bool {
        switch toolChoice {
        case .auto, .none: true
        case .required: !calls.isEmpty
        case .function(let name): calls.contains { $0.name == name }
        }
    }

    // MARK: - Field checks

    static func string(_ value: JSONValue?, _ field: String) throws(HTTPRouteError) -> String? {
        switch value {
        case nil, .null: return nil
        case .string(let text): return text
        default: throw .invalid("`\(field)` must be a string.")
        }
    }

    static func bool(_ value: JSONValue?, _ field: String) throws(HTTPRouteError) -> Bool? {
        switch value {
        case nil, .null: return nil
        case .bool(let flag): return flag
        default: throw .invalid("`\(field)` must be a boolean.")
        }
    }

    static func positiveInt(_ value: JSONValue?, _ field: String) throws(HTTPRouteError) -> Int? {
        guard let value, value != .null else { return nil }
        guard let number = value.intValue, number > 0 else { throw .invalid("`\(field)` must be a positive integer.") }
        return number
    }

    static func range(_ value: JSONValue?, _ field: String, _ bounds: ClosedRange<Double>) throws(HTTPRouteError) {
        let number: Double
        switch value {
        case nil, .null: return
        case .int(let int): number = Double(int)
        case .number(let double): number = double
        default: throw .invalid("`\(field)` must be a number.")
        }
        guard bounds.contains(number) else {
            throw .invalid("`\(field)` must be between \(Self.format(bounds.lowerBound)) and \(Self.format(bounds.upperBound)).")
        }
    }

    private static func format(_ number: Double) -> String { number == number.rounded() ? String(Int(number)) : String(number) }

    static func stop(_ value: JSONValue?) throws(HTTPRouteError) {
        switch value {
        case nil, .null, .string: return
        case .array(let items) where items.count <= 4 && items.allSatisfy({ $0.stringValue != nil }): return
        default: throw .invalid("`stop` must be a string or an array of at most 4 strings.")
        }
    }

    /// `[{type:"function", function:{name, description?, parameters?}}]`.
    static func tools(_ value: JSONValue?) throws(HTTPRouteError) -> [ModelTool] {
        switch value {
        case nil, .null: return []
        case .array(let items):
            var tools: [ModelTool] = []
            for (index, item) in items.enumerated() {
                guard case .object = item else { throw .invalid("`tools[\(index)]` must be an object.") }
                guard item["type"]?.stringValue == "function" else { throw .invalid("`tools[\(index)].type` must be \"function\".") }
                guard let function = item["function"], case .object = function else { throw .invalid("`tools[\(index)].function` must be an object.") }
                guard let name = function["name"]?.stringValue, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw .invalid("`tools[\(index)].function.name` must be a non-empty string.")
                }
                let description = try string(function["description"], "tools[\(index)].function.description") ?? ""
                let parameters: JSONValue
                switch function["parameters"] {
                case nil, .null: parameters = ["type": "object", "properties": .object([:])]
                case .some(let schema):
                    guard case .object = schema else { throw .invalid("`tools[\(index)].function.parameters` must be a JSON Schema object.") }
                    parameters = schema
                }
                if tools.contains(where: { $0.name == name }) { throw .invalid("`tools` lists the function \"\(name)\" twice.") }
                tools.append(ModelTool(name: name, description: description, parameters: parameters))
            }
            return tools
        default:
            throw .invalid("`tools` must be an array.")
        }
    }

    /// `auto` | `none` | `required` | `{type:"function", function:{name}}`.
    static func toolChoice(_ value: JSONValue?, tools: [ModelTool]) throws(HTTPRouteError) -> ToolChoice {
        switch value {
        case nil, .null: return .auto
        case .string("auto"): return .auto
        case .string("none"): return .none
        case .string("required"):
            guard !tools.isEmpty else { throw .invalid("`tool_choice` \"required\" needs at least one entry in `tools`.") }
            return .required
        case .object:
            guard value?["type"]?.stringValue == "function" else {
                throw .invalid("`tool_choice` of type \"\(value?["type"]?.stringValue ?? "")\" is not supported (use auto, none, required or a function).")
            }
            guard let name = value?["function"]?["name"]?.stringValue else { throw .invalid("`tool_choice.function.name` must be a string.") }
            guard tools.contains(where: { $0.name == name }) else { throw .invalid("`tool_choice` names the function \"\(name)\", which is not in `tools`.") }
            return .function(name)
        default:
            throw .invalid("`tool_choice` must be \"auto\", \"none\", \"required\" or {type: \"function\", function: {name}}.")
        }
    }
}
